// The zod input schemas of the console operations: pure (no database, no Node APIs),
// shared by the API route builder, the console forms (browser) and the OpenAPI document.
export { type AuditEventFilter, auditEventFilterSchema } from "./audit/audit-filter-schema.ts";
export { apiKeyRole, createApiKeyBody, listApiKeysQuery, rotateApiKeyBody } from "./keys/api-key-schemas.ts";
export { addMemberBody, roleSchema, updateMemberBody } from "./members/member-schemas.ts";
export { createOperatorTokenBody } from "./operators/operator-token-schemas.ts";
export { createPolicyBody, dryRunPolicyBody, policyName, updatePolicyBody } from "./policies/policy-schemas.ts";
export { type ReportRequest, reportRequestSchema } from "./reports/report-request-schema.ts";
export { secretName, storeSecretBody } from "./secrets/secret-schemas.ts";
export { type UpdateSecuritySettingsBody, updateSecuritySettingsBody } from "./security/security-settings-schemas.ts";
export { createTenantBody, setAuditRetentionBody, tenantSlug, updateTenantBody } from "./tenants/tenant-schemas.ts";
export { upstreamConfigSchema } from "./upstreams/upstream-config.ts";
export { createUpstreamBody, testUpstreamBody, updateUpstreamBody } from "./upstreams/upstream-schemas.ts";
