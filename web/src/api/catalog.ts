import * as audit from "../audit/audit-operations.ts";
import * as nodes from "../fleet/node-operations.ts";
import * as jobs from "../jobs/job-operations.ts";
import * as apiKeys from "../keys/api-key-operations.ts";
import * as members from "../members/member-operations.ts";
import * as openapi from "../openapi/openapi-operation.ts";
import * as operatorTokens from "../operator-tokens/operator-token-operations.ts";
import * as personalData from "../operators/personal-data-operations.ts";
import * as policies from "../policies/policy-operations.ts";
import * as reports from "../reports/report-operations.ts";
import * as secrets from "../secrets/secret-operations.ts";
import * as securitySettings from "../security/security-settings-operations.ts";
import * as session from "../session/session-operations.ts";
import * as snapshots from "../snapshots/snapshot-operations.ts";
import * as tenants from "../tenants/tenant-operations.ts";
import * as upstreams from "../upstreams/upstream-operations.ts";
import type { Operation } from "./operation.ts";

type AnyOperation = Operation<never, never>;

const MODULES = [
  tenants,
  members,
  apiKeys,
  policies,
  upstreams,
  secrets,
  operatorTokens,
  session,
  reports,
  securitySettings,
  audit,
  nodes,
  jobs,
  snapshots,
  personalData,
  openapi,
] as Record<string, unknown>[];

function isOperation(value: unknown): value is AnyOperation {
  return typeof value === "object" && value !== null && "method" in value && "path" in value;
}

/** Every operation by its export name (what route files import). */
export const OPERATIONS_BY_NAME: ReadonlyMap<string, AnyOperation> = new Map(
  MODULES.flatMap((module) =>
    Object.entries(module).flatMap(([name, value]) => (isOperation(value) ? [[name, value] as const] : [])),
  ),
);

/** Every operation the console's API serves (the OpenAPI document and the role matrix test read this). */
export const OPERATIONS: readonly AnyOperation[] = [...OPERATIONS_BY_NAME.values()];
