import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../audit/record-audit-event.ts";
import { issueApiKey } from "../keys/issue-api-key.ts";
import { listApiKeys } from "../keys/list-api-keys.ts";
import { revokeApiKey } from "../keys/revoke-api-key.ts";
import { rotateApiKey } from "../keys/rotate-api-key.ts";
import { addMember } from "../members/add-member.ts";
import { findSsoOperator } from "../operators/find-sso-operator.ts";
import { ensureSigningKey, type SigningKey } from "../signing/signing-key.ts";
import { publishSnapshot } from "../snapshots/publish-snapshot.ts";
import { createTenant } from "../tenants/create-tenant.ts";
import { createTestDatabase } from "../testing/postgres-test-database.ts";
import { tryCreateUpstream } from "../upstreams/create-upstream.ts";
import { listUpstreams } from "../upstreams/list-upstreams.ts";
import { createPolicy } from "./create-policy.ts";
import { diffPolicy } from "./diff-policy.ts";
import { listPolicies } from "./list-policies.ts";
import { updatePolicy } from "./update-policy.ts";

const actor: Actor = { kind: "operator", operatorId: "op_test" };

describe("console operations on Postgres", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let signingKey: SigningKey;
  let tenantId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    signingKey = await ensureSigningKey(mkdtempSync(path.join(tmpdir(), "o1-console-")));
    tenantId = (await createTenant(database.db, { slug: "acme", name: "Acme" }, actor)).id;
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("rotates a key with an overlap window and revokes idempotently, auditing each step without the secret", async () => {
    const { db } = database;
    const issued = await issueApiKey(db, { tenantId, name: "ci" }, actor);
    const now = new Date();
    const rotated = await rotateApiKey(db, { tenantId, keyId: issued.id, overlapSeconds: 3600 }, actor, now);
    if (!rotated.ok) throw new Error(rotated.message);
    expect(rotated.value.key).not.toBe(issued.key);
    expect(rotated.value.previous.expiresAt.getTime()).toBe(now.getTime() + 3_600_000);
    const page = await listApiKeys(db, { tenantId, limit: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).not.toBeNull();
    const second = await listApiKeys(db, { tenantId, limit: 1, cursor: page.nextCursor ?? undefined });
    expect(second.items[0]?.id).not.toBe(page.items[0]?.id);

    const revoked = await revokeApiKey(db, { tenantId, keyId: rotated.value.id }, actor);
    const again = await revokeApiKey(db, { tenantId, keyId: rotated.value.id }, actor);
    expect(revoked.ok && again.ok && again.value.revokedAt.getTime() === revoked.value.revokedAt.getTime()).toBe(true);
    expect(await rotateApiKey(db, { tenantId, keyId: rotated.value.id, overlapSeconds: 0 }, actor)).toMatchObject({
      ok: false,
      code: "CONFLICT",
    });
    expect(await revokeApiKey(db, { tenantId: "ten_other", keyId: issued.id }, actor)).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    const events = await db.auditEvent.findMany({ where: { action: { startsWith: "api_key." } } });
    expect(events.map((event) => event.action).sort()).toEqual([
      "api_key.issued",
      "api_key.revoked",
      "api_key.rotated",
    ]);
    const text = JSON.stringify(events);
    // The secret is everything after `o1k_<prefix>_` (the prefix is alphanumeric; the secret may hold
    // `_` itself, so splitting on `_` could yield an empty piece that every text "contains").
    for (const key of [issued.key, rotated.value.key]) expect(text).not.toContain(key.slice(key.indexOf("_", 4) + 1));
  });

  it("diffs a policy against the published snapshot", async () => {
    const { db } = database;
    const created = await createPolicy(db, { tenantId, name: "base", rules: { tools: { deny: ["a"] } } }, actor);
    if (!created.ok) throw new Error(created.message);
    expect((await listPolicies(db, tenantId)).items[0]?.state).toBe("unpublished");
    await publishSnapshot(db, signingKey, { kind: "system", name: "test" });
    expect((await listPolicies(db, tenantId)).items[0]?.state).toBe("published");
    const clean = await diffPolicy(db, { tenantId, policyId: created.value.id });
    expect(clean.ok && clean.value.changed).toBe(false);

    await updatePolicy(db, { tenantId, policyId: created.value.id, rules: { tools: { deny: ["a", "b"] } } }, actor);
    expect((await listPolicies(db, tenantId)).items[0]?.state).toBe("changed");
    const diff = await diffPolicy(db, { tenantId, policyId: created.value.id });
    if (!diff.ok) throw new Error(diff.message);
    expect(diff.value.changed).toBe(true);
    expect(diff.value.lines.filter((line) => line.op === "add").map((line) => line.text.trim())).toContain('"b"');
    expect(await createPolicy(db, { tenantId, name: "base", rules: {} }, actor)).toMatchObject({ code: "CONFLICT" });
  });

  it("masks upstream env and header values in lists and audit records", async () => {
    const { db } = database;
    const created = await tryCreateUpstream(
      db,
      {
        tenantId,
        name: "files",
        config: { transport: "stdio", command: "/usr/bin/true", args: [], env: { GITHUB_TOKEN: "ghp_supersecret" } },
      },
      actor,
    );
    expect(created.ok).toBe(true);
    const [listed] = await listUpstreams(db, tenantId);
    expect(JSON.stringify(listed)).not.toContain("ghp_supersecret");
    const audit = await db.auditEvent.findFirst({ where: { action: "upstream.created" } });
    expect(JSON.stringify(audit)).not.toContain("ghp_supersecret");
    expect(JSON.stringify(audit)).toContain("GITHUB_TOKEN");
  });

  it("maps SSO emails only to operators that hold a role", async () => {
    const { db } = database;
    expect(await findSsoOperator(db, "nobody@example.com")).toBeNull();
    const added = await addMember(db, { tenantId, email: "Sso.User@example.com", role: "viewer" }, actor);
    expect(added.ok).toBe(true);
    expect((await findSsoOperator(db, "sso.user@EXAMPLE.com"))?.email).toBe("sso.user@example.com");
    expect(await addMember(db, { tenantId, email: "sso.user@example.com", role: "admin" }, actor)).toMatchObject({
      code: "CONFLICT",
    });
  });
});
