// The control plane's public surface: domain functions take (db, input, actor).

export { type AuditBatchV1, auditBatchV1Schema } from "@only1mcp/data-plane";
// Jobs, snapshot lifecycle, fleet and the audit pipeline (issue 5).
export { exportAuditEventsCsv } from "./audit/export-audit-events.ts";
export { type IngestResult, ingestAuditBatch } from "./audit/ingest-audit-batch.ts";
export { type AuditEventPage, auditEventFilterSchema, listAuditEvents } from "./audit/list-audit-events.ts";
export { type Actor, AdminAuditAction, recordAdminEvent } from "./audit/record-audit-event.ts";
export { type ChainVerification, verifyAllAuditChains, verifyAuditChain } from "./audit/verify-audit-chain.ts";
export { getDashboard } from "./dashboard/get-dashboard.ts";
export { type DatabaseConfig, databaseConfigFrom, dataDirFrom } from "./db/database-config.ts";
export { deployMigrations, pendingMigrations, repositoryRoot } from "./db/migrate.ts";
export { type Database, type Db, openDatabase, openDatabaseFromEnv } from "./db/open-database.ts";
export { DEMO_FILE, type DemoCredentials, everythingServerCommand, seedDemoIfEmpty } from "./demo/seed-demo.ts";
export { type CandidateDecider, type DryRunResult, dryRunPolicies } from "./dryrun/dry-run-policies.ts";
export { fetchNodeStatus, registerConfiguredNodes } from "./fleet/data-plane-nodes.ts";
export { type HeartbeatV1, heartbeatV1Schema } from "./fleet/heartbeat-schema.ts";
export { type FleetNode, listFleet } from "./fleet/list-fleet.ts";
export { recordHeartbeat } from "./fleet/record-heartbeat.ts";
export { createJobQueue } from "./jobs/create-job-queue.ts";
export { isJobName, type JobName, jobCatalog } from "./jobs/job-catalog.ts";
export type { JobInfo, JobQueue } from "./jobs/job-queue.ts";
export { issueApiKey } from "./keys/issue-api-key.ts";
export {
  authenticateOperatorPassword,
  authenticateOperatorToken,
  type OperatorIdentity,
  type OperatorRole,
  operatorRoles,
} from "./operators/authenticate-operator.ts";
export { createOperator } from "./operators/create-operator.ts";
export { issueOperatorToken } from "./operators/issue-operator-token.ts";
export { eraseOperatorData, exportOperatorData } from "./reports/gdpr-operator-data.ts";
export { getReportFile, getReportStatus, type ReportFormat } from "./reports/get-report.ts";
export { FRAMEWORKS, REPORT_TEMPLATES } from "./reports/report-templates.ts";
export { reportRequestSchema, requestReport } from "./reports/request-report.ts";
export { applyAuditRetention } from "./retention/apply-audit-retention.ts";
export { promoteRollout, rollBackRollout, startStagedRollout } from "./rollout/staged-rollout.ts";
export {
  type ControlPlaneContext,
  getControlPlane,
  startControlPlane,
  stopControlPlane,
} from "./runtime/control-plane-runtime.ts";
export { openSecret, sealSecret } from "./secrets/secret-box.ts";
export { ensureSecretsKey, type SecretsKey } from "./secrets/secrets-key.ts";
export { revealSecret, secretReference, storeSecret } from "./secrets/store-secret.ts";
export { ensureSigningKey, type SigningKey, signingKeyFromJwk, TRUSTED_KEYS_FILE } from "./signing/signing-key.ts";
export { activateNextSigningKey, stageNextSigningKey } from "./signing/signing-keyring.ts";
export { buildPayload, compileState } from "./snapshots/compile-snapshot.ts";
export { listSnapshots } from "./snapshots/list-snapshots.ts";
export { getCurrentSnapshot, type PublishedSnapshot, publishSnapshot } from "./snapshots/publish-snapshot.ts";
export { pushSnapshotToNodes } from "./snapshots/push-snapshot.ts";
export { requestRollback, restoreSnapshotContent } from "./snapshots/restore-snapshot.ts";
export { signSnapshot } from "./snapshots/sign-snapshot.ts";
export { createTenant } from "./tenants/create-tenant.ts";
export { createUpstream } from "./upstreams/create-upstream.ts";
