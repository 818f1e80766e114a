// The control plane's public surface: domain functions take (db, input, actor).

export { type AuditBatchV1, auditBatchV1Schema } from "@only1mcp/data-plane";
export { auditEventFilterSchema } from "./audit/audit-filter-schema.ts";
// Jobs, snapshot lifecycle, fleet and the audit pipeline (issue 5).
export { exportAuditEventsCsv } from "./audit/export-audit-events.ts";
export { type IngestResult, ingestAuditBatch } from "./audit/ingest-audit-batch.ts";
export { type AuditEventPage, listAuditEvents } from "./audit/list-audit-events.ts";
export { type Actor, AdminAuditAction, recordAdminEvent } from "./audit/record-audit-event.ts";
export {
  type SeededLoad,
  SYNTHETIC_NODE_ID,
  type SyntheticLoad,
  seedSyntheticLoad,
} from "./audit/synthetic-audit-load.ts";
export { type ChainVerification, verifyAllAuditChains, verifyAuditChain } from "./audit/verify-audit-chain.ts";
// Console and API (issue 6): authorisation, CRUD operations, their zod schemas.
export * from "./authz/index.ts";
export { getDashboard } from "./dashboard/get-dashboard.ts";
export {
  type HourlyTraffic,
  type ServerTraffic,
  summarizeTraffic,
  type TenantTraffic,
  type TrafficFigures,
  type TrafficSummary,
} from "./dashboard/traffic-summary.ts";
export { type DatabaseConfig, databaseConfigFrom, dataDirFrom } from "./db/database-config.ts";
export { inTransaction } from "./db/in-transaction.ts";
export { deployMigrations, pendingMigrations, repositoryRoot } from "./db/migrate.ts";
export { type Database, type Db, openDatabase, openDatabaseFromEnv } from "./db/open-database.ts";
export { DEMO_FILE, type DemoCredentials, everythingServerCommand, seedDemoIfEmpty } from "./demo/seed-demo.ts";
export { type CandidateDryRun, dryRunCandidatePolicy } from "./dryrun/dry-run-candidate-policy.ts";
export { type CandidateDecider, type DryRunResult, dryRunPolicies } from "./dryrun/dry-run-policies.ts";
export { fetchNodeStatus, registerConfiguredNodes } from "./fleet/data-plane-nodes.ts";
export { type HeartbeatV1, heartbeatV1Schema } from "./fleet/heartbeat-schema.ts";
export { type FleetNode, listFleet } from "./fleet/list-fleet.ts";
export { recordHeartbeat } from "./fleet/record-heartbeat.ts";
export { createJobQueue } from "./jobs/create-job-queue.ts";
export { isJobName, type JobName, jobCatalog } from "./jobs/job-catalog.ts";
export type { JobInfo, JobQueue } from "./jobs/job-queue.ts";
export { createApiKeyBody, listApiKeysQuery, rotateApiKeyBody } from "./keys/api-key-schemas.ts";
export { type IssuedApiKey, issueApiKey } from "./keys/issue-api-key.ts";
export { listApiKeys } from "./keys/list-api-keys.ts";
export { revokeApiKey } from "./keys/revoke-api-key.ts";
export { rotateApiKey } from "./keys/rotate-api-key.ts";
export { MASK, maskSecrets } from "./masking/mask-secrets.ts";
export { addMember } from "./members/add-member.ts";
export { listMembers } from "./members/list-members.ts";
export { addMemberBody, roleSchema, updateMemberBody } from "./members/member-schemas.ts";
export { removeMember } from "./members/remove-member.ts";
export { updateMemberRole } from "./members/update-member-role.ts";
export {
  authenticateOperatorPassword,
  authenticateOperatorToken,
  type OperatorIdentity,
  type OperatorRole,
  operatorRoles,
} from "./operators/authenticate-operator.ts";
export { createOperator } from "./operators/create-operator.ts";
export { findSsoOperator, type SsoOperator } from "./operators/find-sso-operator.ts";
export { issueOperatorToken } from "./operators/issue-operator-token.ts";
export { listOperatorTokens } from "./operators/list-operator-tokens.ts";
export { type OperatorSession, operatorSession } from "./operators/operator-session.ts";
export { createOperatorTokenBody } from "./operators/operator-token-schemas.ts";
export { revokeOperatorToken } from "./operators/revoke-operator-token.ts";
export { signOutEverywhere } from "./operators/sign-out-everywhere.ts";
export type { Failure, FailureCode, Outcome } from "./outcome/outcome.ts";
export { createPolicy } from "./policies/create-policy.ts";
export { deletePolicy } from "./policies/delete-policy.ts";
export { diffPolicy, type PolicyDiff } from "./policies/diff-policy.ts";
export { type DiffLine, jsonLineDiff } from "./policies/json-line-diff.ts";
export { listPolicies } from "./policies/list-policies.ts";
export { createPolicyBody, updatePolicyBody } from "./policies/policy-schemas.ts";
export { publishState } from "./policies/publish-state.ts";
export { publishedPolicies } from "./policies/published-policies.ts";
export { updatePolicy } from "./policies/update-policy.ts";
export { eraseOperatorData, exportOperatorData } from "./reports/gdpr-operator-data.ts";
export { getReportFile, getReportStatus, type ReportFormat } from "./reports/get-report.ts";
export { listReports, type ReportSummary } from "./reports/list-reports.ts";
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
export {
  listSecrets,
  revealSecret,
  secretReference,
  storeSecret,
  tryStoreSecret,
} from "./secrets/store-secret.ts";
export {
  getSecuritySettings,
  SECURITY_SETTINGS_ID,
  type StoredSecuritySettings,
} from "./security/get-security-settings.ts";
export { type UpdateSecuritySettingsBody, updateSecuritySettingsBody } from "./security/security-settings-schemas.ts";
export { updateSecuritySettings } from "./security/update-security-settings.ts";
export {
  activateSigningKey,
  listSigningKeys,
  type SigningKeysView,
  stageSigningKey,
} from "./signing/rotate-signing-key.ts";
export { ensureSigningKey, type SigningKey, signingKeyFromJwk, TRUSTED_KEYS_FILE } from "./signing/signing-key.ts";
export {
  activateNextSigningKey,
  NoStagedSigningKeyError,
  stageNextSigningKey,
  trustedPublicKeys,
} from "./signing/signing-keyring.ts";
export { buildPayload, compileState } from "./snapshots/compile-snapshot.ts";
export { listSnapshots } from "./snapshots/list-snapshots.ts";
export { getCurrentSnapshot, type PublishedSnapshot, publishSnapshot } from "./snapshots/publish-snapshot.ts";
export { pushSnapshotToNodes } from "./snapshots/push-snapshot.ts";
export { requestRollback, restoreSnapshotContent } from "./snapshots/restore-snapshot.ts";
export { signSnapshot } from "./snapshots/sign-snapshot.ts";
export { createTenant, createTenantInput, tryCreateTenant } from "./tenants/create-tenant.ts";
export { deleteTenant } from "./tenants/delete-tenant.ts";
export { getTenant } from "./tenants/get-tenant.ts";
export { listTenants } from "./tenants/list-tenants.ts";
export { setAuditRetention } from "./tenants/set-audit-retention.ts";
export { createTenantBody, updateTenantBody } from "./tenants/tenant-schemas.ts";
export { updateTenant } from "./tenants/update-tenant.ts";
export { createUpstream, tryCreateUpstream } from "./upstreams/create-upstream.ts";
export { deleteUpstream } from "./upstreams/delete-upstream.ts";
export { listUpstreams } from "./upstreams/list-upstreams.ts";
export { type ConnectionTest, testConnection, testUpstreamConnection } from "./upstreams/test-upstream-connection.ts";
export { updateUpstream } from "./upstreams/update-upstream.ts";
export { upstreamConfigSchema } from "./upstreams/upstream-config.ts";
export { createUpstreamBody, testUpstreamBody, updateUpstreamBody } from "./upstreams/upstream-schemas.ts";
