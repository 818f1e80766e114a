// The control plane's public surface: domain functions take (db, input, actor).
export { type Actor, AdminAuditAction, recordAdminEvent } from "./audit/record-audit-event.ts";
export { getDashboard } from "./dashboard/get-dashboard.ts";
export { type DatabaseConfig, databaseConfigFrom, dataDirFrom } from "./db/database-config.ts";
export { deployMigrations, pendingMigrations, repositoryRoot } from "./db/migrate.ts";
export { type Database, type Db, openDatabase, openDatabaseFromEnv } from "./db/open-database.ts";
export { DEMO_FILE, type DemoCredentials, everythingServerCommand, seedDemoIfEmpty } from "./demo/seed-demo.ts";
export { fetchNodeStatus, registerConfiguredNodes } from "./fleet/data-plane-nodes.ts";
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
export {
  type ControlPlaneContext,
  getControlPlane,
  startControlPlane,
  stopControlPlane,
} from "./runtime/control-plane-runtime.ts";
export { ensureSigningKey, type SigningKey, signingKeyFromJwk, TRUSTED_KEYS_FILE } from "./signing/signing-key.ts";
export { buildPayload, compileState } from "./snapshots/compile-snapshot.ts";
export { getCurrentSnapshot, type PublishedSnapshot, publishSnapshot } from "./snapshots/publish-snapshot.ts";
export { pushSnapshotToNodes } from "./snapshots/push-snapshot.ts";
export { signSnapshot } from "./snapshots/sign-snapshot.ts";
export { createTenant } from "./tenants/create-tenant.ts";
export { createUpstream } from "./upstreams/create-upstream.ts";
