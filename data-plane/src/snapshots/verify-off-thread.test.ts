import { afterEach, describe, expect, it } from "vitest";
import { makeSigningKey, payload, signPayload } from "../testing/fixtures.ts";
import { canonicalJson, sha256Hex } from "./canonical.ts";
import { TrustedKeys, verifySnapshot } from "./verify.ts";
import { OffThreadVerifier } from "./verify-off-thread.ts";

describe("OffThreadVerifier", () => {
  let verifier: OffThreadVerifier | undefined;
  afterEach(async () => {
    await verifier?.close();
  });

  it("verifies on a worker thread and gives the same payload and hash as verifySnapshot", async () => {
    verifier = new OffThreadVerifier(0);
    const key = await makeSigningKey();
    const body = payload(7);
    const jws = await signPayload(body, key);
    const trusted = await TrustedKeys.fromJwks([key.publicJwk]);
    const offThread = await verifier.verify(jws, trusted);
    const inThread = await verifySnapshot(jws, trusted);
    expect(verifier.verifiedOffThread).toBe(1);
    expect(offThread.ok).toBe(true);
    if (!offThread.ok || !inThread.ok) return;
    expect(offThread.snapshot.payload).toEqual(inThread.snapshot.payload);
    expect(offThread.snapshot.sha256).toBe(sha256Hex(canonicalJson(body)));
    expect(offThread.snapshot.kid).toBe(key.kid);
  });

  it("verifies a small snapshot in this thread, without starting a worker", async () => {
    verifier = new OffThreadVerifier();
    const key = await makeSigningKey();
    const result = await verifier.verify(
      await signPayload(payload(2), key),
      await TrustedKeys.fromJwks([key.publicJwk]),
    );
    expect(result.ok).toBe(true);
    expect(verifier.verifiedOffThread).toBe(0);
  });

  it("refuses on the worker what verifySnapshot refuses: another key, a tampered payload", async () => {
    verifier = new OffThreadVerifier(0);
    const trusted = await makeSigningKey("kid-1");
    const attacker = await makeSigningKey("kid-1");
    const keys = await TrustedKeys.fromJwks([trusted.publicJwk]);
    const forged = await verifier.verify(await signPayload(payload(1), attacker), keys);
    expect(forged).toMatchObject({ ok: false, error: { code: "BAD_SIGNATURE" } });
    const [h, , s] = (await signPayload(payload(2), trusted)).split(".");
    const swapped = Buffer.from(canonicalJson(payload(999))).toString("base64url");
    expect(await verifier.verify(`${h}.${swapped}.${s}`, keys)).toMatchObject({
      ok: false,
      error: { code: "BAD_SIGNATURE" },
    });
    expect(await verifier.verify("not a jws", keys)).toMatchObject({ ok: false, error: { code: "MALFORMED" } });
    expect(verifier.verifiedOffThread).toBe(3);
  });
});
