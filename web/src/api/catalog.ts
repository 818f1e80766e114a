import * as apiKeys from "../keys/api-key-operations.ts";
import * as members from "../members/member-operations.ts";
import * as operatorTokens from "../operator-tokens/operator-token-operations.ts";
import * as policies from "../policies/policy-operations.ts";
import * as reports from "../reports/report-operations.ts";
import * as secrets from "../secrets/secret-operations.ts";
import * as session from "../session/session-operations.ts";
import * as tenants from "../tenants/tenant-operations.ts";
import * as upstreams from "../upstreams/upstream-operations.ts";
import type { Operation } from "./operation.ts";

type AnyOperation = Operation<never, never>;

function collect(...modules: Record<string, unknown>[]): AnyOperation[] {
  return modules.flatMap((module) =>
    Object.values(module).filter(
      (value): value is AnyOperation =>
        typeof value === "object" && value !== null && "method" in value && "path" in value,
    ),
  );
}

/** Every operation the console's API serves (the OpenAPI document and the role matrix test read this). */
export const OPERATIONS: readonly AnyOperation[] = collect(
  tenants,
  members,
  apiKeys,
  policies,
  upstreams,
  secrets,
  operatorTokens,
  session,
  reports,
);
