-- Paging indexes for the console with 10k keys and 1M audit events: every list is read
-- newest first by (time, id), so each index ends in (time, id) and a page reads ~limit rows.

-- API keys: the keys screen's pages per tenant.
DROP INDEX "ApiKey_tenantId_idx";
CREATE INDEX "ApiKey_tenantId_createdAt_id_idx" ON "ApiKey"("tenantId", "createdAt", "id");

-- Admin audit events.
DROP INDEX "AuditEvent_tenantId_createdAt_idx";
DROP INDEX "AuditEvent_createdAt_idx";
CREATE INDEX "AuditEvent_tenantId_createdAt_id_idx" ON "AuditEvent"("tenantId", "createdAt", "id");
CREATE INDEX "AuditEvent_createdAt_id_idx" ON "AuditEvent"("createdAt", "id");

-- Data-plane audit events: one index per filter of the audit viewer (tenant, key, tool, decision).
DROP INDEX "DataPlaneEvent_tenantId_occurredAt_idx";
DROP INDEX "DataPlaneEvent_occurredAt_idx";
CREATE INDEX "DataPlaneEvent_occurredAt_id_idx" ON "DataPlaneEvent"("occurredAt", "id");
CREATE INDEX "DataPlaneEvent_tenantId_occurredAt_id_idx" ON "DataPlaneEvent"("tenantId", "occurredAt", "id");
CREATE INDEX "DataPlaneEvent_keyId_occurredAt_id_idx" ON "DataPlaneEvent"("keyId", "occurredAt", "id");
CREATE INDEX "DataPlaneEvent_tool_occurredAt_id_idx" ON "DataPlaneEvent"("tool", "occurredAt", "id");
CREATE INDEX "DataPlaneEvent_decision_occurredAt_id_idx" ON "DataPlaneEvent"("decision", "occurredAt", "id");
