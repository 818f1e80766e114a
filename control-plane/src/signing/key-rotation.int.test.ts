import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../audit/record-audit-event.ts";
import { publishSnapshot } from "../snapshots/publish-snapshot.ts";
import { signSnapshot } from "../snapshots/sign-snapshot.ts";
import { createTenant } from "../tenants/create-tenant.ts";
import { type DataPlaneProcess, startDataPlaneProcess } from "../testing/data-plane-process.ts";
import { createTestDatabase } from "../testing/postgres-test-database.ts";
import { activateSigningKey, listSigningKeys, stageSigningKey } from "./rotate-signing-key.ts";
import { ensureSigningKey, type SigningKey } from "./signing-key.ts";
import { trustedPublicKeys } from "./signing-keyring.ts";

const actor: Actor = { kind: "system", name: "key-rotation-test" };
const HOUR = 3_600_000;

/**
 * Two real data planes that were configured with the first key only follow a
 * rotation through what applied snapshots announce: the staged key is trusted before
 * it signs, the old key during the overlap (a restart from last-known-good included),
 * and not after it is retired.
 */
describe("signing-key rotation announced by snapshots", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let key: SigningKey;
  let first: SigningKey;
  const planes: DataPlaneProcess[] = [];
  const stateDirs: string[] = [];
  let planeEnv: (index: number) => Record<string, string>;

  const status = async (plane: DataPlaneProcess) =>
    (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as { snapshotVersion: number | null };
  const push = async (plane: DataPlaneProcess, jws: string) => {
    const response = await fetch(`${plane.url}/_only1mcp/snapshot`, {
      method: "PUT",
      headers: { "content-type": "application/jose" },
      body: jws,
    });
    return { status: response.status, body: await response.text() };
  };
  const publishAndPush = async (now = new Date()) => {
    const published = await publishSnapshot(database.db, key, actor, {
      now,
      trustedKeys: await trustedPublicKeys(dataDir, key, now),
    });
    expect(published.created).toBe(true);
    for (const plane of planes) expect((await push(plane, published.jws)).status).toBe(200);
    for (const plane of planes) expect((await status(plane)).snapshotVersion).toBe(published.version);
    return published;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), "o1-rotation-cp-"));
    key = await ensureSigningKey(dataDir);
    first = key;
    await createTenant(database.db, { slug: "rot", name: "Rotation" }, actor);
    // The planes' own copy of the trusted keys, written once: the first key only.
    const trustedFile = path.join(mkdtempSync(path.join(tmpdir(), "o1-rotation-trust-")), "trusted-keys.json");
    writeFileSync(trustedFile, JSON.stringify({ keys: [key.publicJwk] }));
    planeEnv = (index) => ({ ONLY1MCP_TRUSTED_KEYS_FILE: trustedFile, DATA_PLANE_STATE_DIR: stateDirs[index] ?? "" });
    for (let i = 0; i < 2; i++) stateDirs.push(mkdtempSync(path.join(tmpdir(), `o1-rotation-dp-${i}-`)));
    planes.push(...(await Promise.all([0, 1].map((i) => startDataPlaneProcess(planeEnv(i))))));
  });

  afterAll(async () => {
    await Promise.all(planes.map((plane) => plane.stop()));
    await database?.drop();
  });

  it("trusts the staged key once a snapshot signed by the current key announced it", async () => {
    const v1 = await publishAndPush();
    const next = await stageSigningKey(database.db, dataDir, key, actor);
    // Signed by the staged key before any snapshot announced it: refused.
    const early = await signSnapshot(
      { schema: "snapshot.v1", version: 100, issuedAt: new Date().toISOString(), expiresAt: null, tenants: [] },
      next,
    );
    const refused = await push(planes[0] as DataPlaneProcess, early.jws);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.body).toContain("SNAPSHOT_UNKNOWN_KEY");

    const v2 = await publishAndPush();
    expect(v2.version).toBe(v1.version + 1);
    expect(JSON.parse(Buffer.from(v2.jws.split(".")[1] ?? "", "base64url").toString()).trustedKeys).toHaveLength(2);
    expect((await listSigningKeys(dataDir, key)).next).toBe(next.kid);
    const events = await database.db.auditEvent.findMany({ where: { action: "signing_key.staged" } });
    expect(events[0]?.detail).toMatchObject({ activeKid: first.kid, nextKid: next.kid });
  });

  it("applies snapshots signed by the new key, also from last-known-good after a restart", async () => {
    key = await activateSigningKey(database.db, dataDir, key, actor, { overlapMs: HOUR });
    expect(key.kid).not.toBe(first.kid);
    const v3 = await publishAndPush();
    expect((await database.db.snapshot.findUniqueOrThrow({ where: { version: v3.version } })).kid).toBe(key.kid);

    // Same state dir, same trusted-keys file (first key only): it boots from its LKG,
    // which the new key signed, because it kept the keys the applied snapshot announced.
    const restarted = planes[1] as DataPlaneProcess;
    await restarted.stop();
    planes[1] = await startDataPlaneProcess(planeEnv(1));
    expect((await status(planes[1] as DataPlaneProcess)).snapshotVersion).toBe(v3.version);
    expect(readFileSync(path.join(stateDirs[1] ?? "", "trusted-keys.announced.json"), "utf8")).toContain(key.kid);
  });

  it("retires the old key after the overlap: what it signs is refused", async () => {
    const later = new Date(Date.now() + 2 * HOUR);
    expect((await listSigningKeys(dataDir, key, later)).announced).toEqual([key.kid]);
    const v4 = await publishAndPush(later);
    const forged = await signSnapshot(
      {
        schema: "snapshot.v1",
        version: v4.version + 1,
        issuedAt: new Date().toISOString(),
        expiresAt: null,
        tenants: [],
      },
      first,
    );
    for (const plane of planes) {
      const refused = await push(plane, forged.jws);
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.body).toContain("SNAPSHOT_UNKNOWN_KEY");
      expect((await status(plane)).snapshotVersion).toBe(v4.version);
    }
    // A snapshot whose announced keys leave out its own signer is refused as well.
    const selfRevoking = await signSnapshot(
      {
        schema: "snapshot.v1",
        version: v4.version + 2,
        issuedAt: new Date().toISOString(),
        expiresAt: null,
        tenants: [],
        trustedKeys: [{ kty: "OKP", crv: "Ed25519", x: String(first.publicJwk.x), kid: first.kid }],
      },
      key,
    );
    expect((await push(planes[0] as DataPlaneProcess, selfRevoking.jws)).body).toContain("SNAPSHOT_INVALID_PAYLOAD");
  });
});
