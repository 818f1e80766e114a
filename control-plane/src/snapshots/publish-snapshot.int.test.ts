import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseApiKey, TrustedKeys, verifySnapshot } from "@only1mcp/data-plane";
import bcrypt from "bcrypt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../audit/record-audit-event.ts";
import { issueApiKey } from "../keys/issue-api-key.ts";
import { authenticateOperatorPassword, authenticateOperatorToken } from "../operators/authenticate-operator.ts";
import { createOperator } from "../operators/create-operator.ts";
import { issueOperatorToken } from "../operators/issue-operator-token.ts";
import { ensureSigningKey, type SigningKey } from "../signing/signing-key.ts";
import { createTenant } from "../tenants/create-tenant.ts";
import { createTestDatabase } from "../testing/postgres-test-database.ts";
import { createUpstream } from "../upstreams/create-upstream.ts";
import { compileState } from "./compile-snapshot.ts";
import { publishSnapshot } from "./publish-snapshot.ts";

const actor: Actor = { kind: "system", name: "test" };

describe("publishing snapshots on Postgres", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let key: SigningKey;
  let tenantId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    key = await ensureSigningKey(mkdtempSync(path.join(tmpdir(), "o1-pub-")));
    const tenant = await createTenant(database.db, { slug: "acme", name: "Acme" }, actor);
    tenantId = tenant.id;
    await createUpstream(
      database.db,
      { tenantId, name: "files", config: { transport: "stdio", command: "/usr/bin/true", args: [] } },
      actor,
    );
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("compiles the same state to the same hash", async () => {
    const first = await compileState(database.db);
    const second = await compileState(database.db);
    expect(second.contentHash).toBe(first.contentHash);
  });

  it("publishes monotonically, and only when the state changed", async () => {
    const first = await publishSnapshot(database.db, key, actor);
    const again = await publishSnapshot(database.db, key, actor);
    expect(again.created).toBe(false);
    expect(again.version).toBe(first.version);
    const issued = await issueApiKey(database.db, { tenantId, name: "ci" }, actor);
    const next = await publishSnapshot(database.db, key, actor);
    expect(next.version).toBe(first.version + 1);

    const verified = await verifySnapshot(next.jws, await TrustedKeys.fromJwks([key.publicJwk]));
    if (!verified.ok) throw new Error(verified.error.message);
    const entry = verified.snapshot.payload.tenants[0]?.apiKeys.find((k) => k.id === issued.id);
    expect(entry?.prefix).toBe(parseApiKey(issued.key)?.prefix);
    // Only the hash travels; it matches the key that was shown once.
    expect(verified.snapshot.jws).not.toContain(issued.key);
    expect(await bcrypt.compare(issued.key, entry?.hash ?? "")).toBe(true);
  });

  it("leaves revoked keys out of the next snapshot", async () => {
    const issued = await issueApiKey(database.db, { tenantId, name: "to revoke" }, actor);
    await database.db.apiKey.update({ where: { id: issued.id }, data: { revokedAt: new Date() } });
    const state = await compileState(database.db);
    expect(state.tenants[0]?.apiKeys.map((k) => k.id)).not.toContain(issued.id);
  });

  it("records every change as an admin audit event without secrets", async () => {
    const issued = await issueApiKey(database.db, { tenantId, name: "audited" }, actor);
    const events = await database.db.auditEvent.findMany({ where: { action: "api_key.issued" } });
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toContain(issued.key);
  });

  it("authenticates operators by password and by API token", async () => {
    const operator = await createOperator(
      database.db,
      { email: "Owner@Example.com", name: "Owner", password: "correct horse", role: "owner" },
      actor,
    );
    expect(await authenticateOperatorPassword(database.db, "owner@example.com", "correct horse")).toMatchObject({
      ok: true,
    });
    expect(await authenticateOperatorPassword(database.db, "owner@example.com", "wrong")).toEqual({
      ok: false,
      code: "INVALID_CREDENTIALS",
    });
    const { token, id } = await issueOperatorToken(database.db, { operatorId: operator.id, name: "ci" }, actor);
    expect(await authenticateOperatorToken(database.db, token)).toMatchObject({
      ok: true,
      roles: [{ tenantId: null, role: "owner" }],
    });
    expect(await authenticateOperatorToken(database.db, `${token.slice(0, -2)}xx`)).toMatchObject({ ok: false });
    await database.db.operatorToken.update({ where: { id }, data: { revokedAt: new Date() } });
    expect(await authenticateOperatorToken(database.db, token)).toEqual({ ok: false, code: "REVOKED" });
  });
});
