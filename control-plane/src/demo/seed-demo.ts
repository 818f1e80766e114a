import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Actor } from "../audit/record-audit-event.ts";
import type { Database } from "../db/open-database.ts";
import { randomSecret } from "../ids/generate-id.ts";
import { issueApiKey } from "../keys/issue-api-key.ts";
import { createOperator } from "../operators/create-operator.ts";
import { issueOperatorToken } from "../operators/issue-operator-token.ts";
import { createTenant } from "../tenants/create-tenant.ts";
import { createUpstream } from "../upstreams/create-upstream.ts";

export const DEMO_FILE = "demo.json";
export const DEMO_ADMIN_EMAIL = "admin@only1mcp.local";

export type DemoCredentials = {
  consoleUrl: string;
  mcpUrl: string;
  apiKey: string;
  adminEmail: string;
  adminPassword: string;
  adminToken: string;
};

/** The demo upstream: the official "everything" MCP server over stdio. */
export function everythingServerCommand(): { command: string; args: string[] } {
  const require = createRequire(import.meta.url);
  // The package has a bin but no main: find it through its package.json.
  const manifest = require.resolve("@modelcontextprotocol/server-everything/package.json");
  const entry = path.join(path.dirname(manifest), "dist", "index.js");
  return { command: process.execPath, args: [entry, "stdio"] };
}

/**
 * On first start (no tenants yet): a demo tenant with one upstream and one API
 * key, a bootstrap owner with a password and an API token. The secrets exist
 * only in the returned value and in demo.json (mode 0600).
 */
export async function seedDemoIfEmpty(
  db: Database,
  input: { dataDir: string; consoleUrl: string; mcpUrl: string },
): Promise<DemoCredentials | undefined> {
  if ((await db.tenant.count()) > 0) return undefined;
  const actor: Actor = { kind: "system", name: "demo-seed" };
  const adminPassword = randomSecret(18);
  const credentials = await db.$transaction(async (tx) => {
    const tenant = await createTenant(tx, { slug: "demo", name: "Demo" }, actor);
    const { command, args } = everythingServerCommand();
    await createUpstream(
      tx,
      { tenantId: tenant.id, name: "everything", config: { transport: "stdio", command, args, env: {} } },
      actor,
    );
    const apiKey = await issueApiKey(tx, { tenantId: tenant.id, name: "demo key" }, actor);
    const operator = await createOperator(
      tx,
      { email: DEMO_ADMIN_EMAIL, name: "Demo Admin", password: adminPassword, role: "owner", tenantId: null },
      actor,
    );
    const token = await issueOperatorToken(tx, { operatorId: operator.id, name: "demo admin token" }, actor);
    return {
      consoleUrl: input.consoleUrl,
      mcpUrl: input.mcpUrl,
      apiKey: apiKey.key,
      adminEmail: DEMO_ADMIN_EMAIL,
      adminPassword,
      adminToken: token.token,
    } satisfies DemoCredentials;
  });
  writeFileSync(path.join(input.dataDir, DEMO_FILE), `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}

export function demoFileExists(dataDir: string): boolean {
  return existsSync(path.join(dataDir, DEMO_FILE));
}
