import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SNAPSHOT_SCHEMA, type SnapshotPayload, TrustedKeys, verifySnapshot } from "@only1mcp/data-plane";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureSigningKey, type SigningKey } from "../signing/signing-key.ts";
import { signSnapshot } from "./sign-snapshot.ts";

const payload: SnapshotPayload = {
  schema: SNAPSHOT_SCHEMA,
  version: 3,
  issuedAt: "2026-11-27T10:00:00.000Z",
  expiresAt: null,
  tenants: [{ id: "ten_a", slug: "a", name: "A", apiKeys: [], upstreams: [], policies: [] }],
};

describe("snapshot signing round trip", () => {
  let key: SigningKey;
  let trusted: TrustedKeys;
  beforeAll(async () => {
    key = await ensureSigningKey(mkdtempSync(path.join(tmpdir(), "o1-sign-")));
    trusted = await TrustedKeys.fromJwks([key.publicJwk]);
  });

  it("verifies what it signs and reports the same hash", async () => {
    const signed = await signSnapshot(payload, key);
    const result = await verifySnapshot(signed.jws, trusted);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.snapshot.payload.version).toBe(3);
      expect(result.snapshot.sha256).toBe(signed.sha256);
      expect(result.snapshot.kid).toBe(key.kid);
    }
  });

  it("gives the same bytes for the same state", async () => {
    const { tenants, ...rest } = payload;
    const reordered = JSON.parse(JSON.stringify({ tenants, ...rest })) as SnapshotPayload;
    expect(Object.keys(reordered)[0]).toBe("tenants");
    expect((await signSnapshot(reordered, key)).sha256).toBe((await signSnapshot(payload, key)).sha256);
  });

  it("refuses a tampered payload", async () => {
    const { jws } = await signSnapshot(payload, key);
    const [header, , signature] = jws.split(".");
    const forged = Buffer.from(JSON.stringify({ ...payload, version: 99 })).toString("base64url");
    const result = await verifySnapshot(`${header}.${forged}.${signature}`, trusted);
    expect(result).toMatchObject({ ok: false, error: { code: "BAD_SIGNATURE" } });
  });

  it("refuses a snapshot signed by a key it does not trust", async () => {
    const other = await ensureSigningKey(mkdtempSync(path.join(tmpdir(), "o1-other-")));
    const { jws } = await signSnapshot(payload, other);
    expect(await verifySnapshot(jws, trusted)).toMatchObject({ ok: false, error: { code: "UNKNOWN_KEY" } });
  });

  it("keeps the signing key across restarts of the same data dir", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "o1-keep-"));
    const first = await ensureSigningKey(dir);
    const second = await ensureSigningKey(dir);
    expect(second.kid).toBe(first.kid);
  });
});
