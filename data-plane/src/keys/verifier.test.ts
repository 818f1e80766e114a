import bcrypt from "bcrypt";
import { describe, expect, it, vi } from "vitest";
import { snapshotPayloadSchema } from "../snapshots/schema.ts";
import { hashKey, makeApiKey, payload } from "../testing/fixtures.ts";
import { KeyIndex } from "./key-index.ts";
import { BcryptApiKeyVerifier } from "./verifier.ts";

type KeySpec = { id: string; prefix: string; hash: string; expiresAt?: string | null };

function indexOf(keys: KeySpec[], tenantId = "ten_a"): KeyIndex {
  const p = snapshotPayloadSchema.parse(
    payload(1, [{ id: tenantId, slug: "a", name: "A", apiKeys: keys, upstreams: [], policies: [] }]),
  );
  return KeyIndex.fromPayload(p);
}

async function setup(expiresAt: string | null = null) {
  const { key, prefix } = makeApiKey();
  const hash = await hashKey(key);
  let index = indexOf([{ id: "key_1", prefix, hash, expiresAt }]);
  const compare = vi.fn((k: string, h: string) => bcrypt.compare(k, h));
  let now = Date.now();
  const verifier = new BcryptApiKeyVerifier({ currentIndex: () => index, compare, now: () => now });
  return {
    key,
    prefix,
    hash,
    compare,
    verifier,
    setIndex: (i: KeyIndex) => {
      index = i;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("BcryptApiKeyVerifier", () => {
  it("accepts a valid key and names its tenant and key id", async () => {
    const { key, verifier } = await setup();
    expect(await verifier.verify(key)).toEqual({ ok: true, tenantId: "ten_a", keyId: "key_1", roles: [] });
  });

  it("refuses a wrong secret under a known prefix", async () => {
    const { prefix, verifier } = await setup();
    const wrong = `o1k_${prefix}_${"z".repeat(40)}`;
    expect(await verifier.verify(wrong)).toEqual({ ok: false, code: "INVALID" });
  });

  it("refuses an unknown prefix and a malformed token without bcrypt", async () => {
    const { compare, verifier } = await setup();
    expect(await verifier.verify(makeApiKey().key)).toEqual({ ok: false, code: "NOT_FOUND" });
    expect(await verifier.verify("not-a-key")).toEqual({ ok: false, code: "MALFORMED" });
    expect(await verifier.verify("")).toEqual({ ok: false, code: "MALFORMED" });
    expect(compare).not.toHaveBeenCalled();
  });

  it("refuses an expired key, and a cached key once it expires", async () => {
    const expired = await setup(new Date(Date.now() - 1000).toISOString());
    expect(await expired.verifier.verify(expired.key)).toEqual({ ok: false, code: "EXPIRED" });

    const soon = await setup(new Date(Date.now() + 60_000).toISOString());
    expect(await soon.verifier.verify(soon.key)).toMatchObject({ ok: true });
    soon.advance(120_000);
    expect(await soon.verifier.verify(soon.key)).toEqual({ ok: false, code: "EXPIRED" });
  });

  it("caches a match: the second call does not run bcrypt", async () => {
    const { key, compare, verifier } = await setup();
    await verifier.verify(key);
    await verifier.verify(key);
    await verifier.verify(key);
    expect(compare).toHaveBeenCalledTimes(1);
  });

  it("shares one bcrypt run between concurrent first calls", async () => {
    const { key, compare, verifier } = await setup();
    const results = await Promise.all([verifier.verify(key), verifier.verify(key), verifier.verify(key)]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(compare).toHaveBeenCalledTimes(1);
  });

  it("honours a revocation by a newer snapshot at once, even when cached", async () => {
    const { key, prefix, hash, verifier, setIndex } = await setup();
    expect(await verifier.verify(key)).toMatchObject({ ok: true });
    setIndex(indexOf([]));
    expect(await verifier.verify(key)).toEqual({ ok: false, code: "NOT_FOUND" });
    // Same prefix, re-issued with another hash: the cached match no longer counts.
    const { key: other } = makeApiKey();
    setIndex(indexOf([{ id: "key_1", prefix, hash: await hashKey(`${other}x`) }]));
    expect(await verifier.verify(key)).toEqual({ ok: false, code: "INVALID" });
    // Restored: valid again.
    setIndex(indexOf([{ id: "key_1", prefix, hash }]));
    expect(await verifier.verify(key)).toMatchObject({ ok: true });
  });

  it("re-resolves the tenant when a key moves to another tenant instead of trusting the cache", async () => {
    const { key, prefix, hash, compare, verifier, setIndex } = await setup();
    await verifier.verify(key);
    setIndex(indexOf([{ id: "key_1", prefix, hash }], "ten_b"));
    expect(await verifier.verify(key)).toEqual({ ok: true, tenantId: "ten_b", keyId: "key_1", roles: [] });
    expect(compare).toHaveBeenCalledTimes(2);
  });
});
