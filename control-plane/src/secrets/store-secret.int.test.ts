import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../audit/record-audit-event.ts";
import { createTenant } from "../tenants/create-tenant.ts";
import { createTestDatabase } from "../testing/postgres-test-database.ts";
import { ensureSecretsKey } from "./secrets-key.ts";
import { listSecrets, revealSecret, storeSecret, tryStoreSecret } from "./store-secret.ts";

const actor: Actor = { kind: "system", name: "secrets-test" };

describe("tenant secrets on Postgres", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const key = ensureSecretsKey(mkdtempSync(path.join(tmpdir(), "o1-sec-")));
  let tenantId: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    tenantId = (await createTenant(database.db, { slug: "sec", name: "Sec" }, actor)).id;
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("stores only ciphertext, audits the name with the value masked, and hands out a reference", async () => {
    const stored = await storeSecret(
      database.db,
      key,
      { tenantId, name: "github-token", value: "ghp_supersecret" },
      actor,
    );
    expect(stored.reference).toBe("secret://github-token");
    const rows = await database.db.secret.findMany();
    const events = await database.db.auditEvent.findMany({ where: { action: "secret.stored" } });
    expect(JSON.stringify(rows)).not.toContain("ghp_supersecret");
    expect(JSON.stringify(events)).not.toContain("ghp_supersecret");
    expect(events[0]?.detail).toMatchObject({ name: "github-token", value: "[masked]" });
    expect(await revealSecret(database.db, key, { tenantId, name: "github-token" })).toEqual({
      ok: true,
      plaintext: "ghp_supersecret",
    });
    // Replacing keeps one row.
    await storeSecret(database.db, key, { tenantId, name: "github-token", value: "ghp_rotated" }, actor);
    expect(await database.db.secret.count()).toBe(1);
    const listed = await listSecrets(database.db, tenantId);
    expect(listed.items.map((item) => item.reference)).toEqual(["secret://github-token"]);
    expect(JSON.stringify(listed)).not.toContain("ghp_");
    expect(
      await tryStoreSecret(database.db, key, { tenantId: "ten_missing", name: "x", value: "ghp_orphan" }, actor),
    ).toMatchObject({ ok: false, code: "NOT_FOUND" });
    await expect(storeSecret(database.db, key, { tenantId, name: "bad/name", value: "v" }, actor)).rejects.toThrow();
    expect(await database.db.secret.count()).toBe(1);
    expect(await revealSecret(database.db, key, { tenantId, name: "github-token" })).toMatchObject({
      plaintext: "ghp_rotated",
    });
  });
});
