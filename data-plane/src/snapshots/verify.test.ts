import { describe, expect, it } from "vitest";
import { makeSigningKey, payload, signPayload } from "../testing/fixtures.ts";
import { canonicalJson, sha256Hex } from "./canonical.ts";
import { TrustedKeys, verifySnapshot } from "./verify.ts";

describe("verifySnapshot", () => {
  it("accepts a snapshot signed by a trusted key and hashes its canonical payload", async () => {
    const key = await makeSigningKey();
    const body = payload(3);
    const result = await verifySnapshot(await signPayload(body, key), await TrustedKeys.fromJwks([key.publicJwk]));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.snapshot.payload.version).toBe(3);
    expect(result.snapshot.kid).toBe(key.kid);
    expect(result.snapshot.sha256).toBe(sha256Hex(canonicalJson(body)));
  });

  it("refuses a tampered payload", async () => {
    const key = await makeSigningKey();
    const jws = await signPayload(payload(1), key);
    const [h, , s] = jws.split(".");
    const forged = Buffer.from(canonicalJson(payload(999))).toString("base64url");
    const result = await verifySnapshot(`${h}.${forged}.${s}`, await TrustedKeys.fromJwks([key.publicJwk]));
    expect(result).toMatchObject({ ok: false, error: { code: "BAD_SIGNATURE" } });
  });

  it("refuses a snapshot signed by another key under a trusted kid", async () => {
    const trusted = await makeSigningKey("kid-1");
    const attacker = await makeSigningKey("kid-1");
    const result = await verifySnapshot(
      await signPayload(payload(1), attacker),
      await TrustedKeys.fromJwks([trusted.publicJwk]),
    );
    expect(result).toMatchObject({ ok: false, error: { code: "BAD_SIGNATURE" } });
  });

  it("refuses an unknown kid", async () => {
    const trusted = await makeSigningKey("kid-a");
    const other = await makeSigningKey("kid-b");
    const result = await verifySnapshot(
      await signPayload(payload(1), other),
      await TrustedKeys.fromJwks([trusted.publicJwk]),
    );
    expect(result).toMatchObject({ ok: false, error: { code: "UNKNOWN_KEY" } });
  });

  it("refuses a JWS of another typ", async () => {
    const key = await makeSigningKey();
    const result = await verifySnapshot(
      await signPayload(payload(1), key, "JWT"),
      await TrustedKeys.fromJwks([key.publicJwk]),
    );
    expect(result).toMatchObject({ ok: false, error: { code: "BAD_SIGNATURE" } });
  });

  it("refuses an expired snapshot and a payload outside snapshot.v1", async () => {
    const key = await makeSigningKey();
    const trusted = await TrustedKeys.fromJwks([key.publicJwk]);
    const expired = { ...payload(1), expiresAt: new Date(Date.now() - 1000).toISOString() };
    expect(await verifySnapshot(await signPayload(expired, key), trusted)).toMatchObject({
      ok: false,
      error: { code: "EXPIRED" },
    });
    const bad = { ...payload(1), version: -1 };
    expect(await verifySnapshot(await signPayload(bad, key), trusted)).toMatchObject({
      ok: false,
      error: { code: "INVALID_PAYLOAD" },
    });
  });

  it("refuses a body that is not a compact JWS", async () => {
    const result = await verifySnapshot("not a jws", await TrustedKeys.fromJwks([]));
    expect(result).toMatchObject({ ok: false, error: { code: "MALFORMED" } });
  });
});
