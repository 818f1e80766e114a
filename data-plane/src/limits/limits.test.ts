import { describe, expect, it } from "vitest";
import { KeyIndex } from "../keys/key-index.ts";
import { BcryptApiKeyVerifier } from "../keys/verifier.ts";
import { PolicyEngine } from "../policy/compile-policies.ts";
import { snapshotPayloadSchema } from "../snapshots/schema.ts";
import { hashKey, makeApiKey, payload } from "../testing/fixtures.ts";
import { AuthFailureGuard } from "./auth-failures.ts";
import { ConcurrencyGate } from "./concurrency.ts";
import { exceedsJsonDepth } from "./json-depth.ts";
import { FlexibleRateLimiter } from "./rate-limiter.ts";
import { RequestGuard } from "./request-guard.ts";

const bytes = (s: string) => Buffer.from(s, "utf8");

describe("JSON depth scan", () => {
  it("counts nesting outside strings only", () => {
    expect(exceedsJsonDepth(bytes('{"a":[1,{"b":2}]}'), 3)).toBe(false);
    expect(exceedsJsonDepth(bytes('{"a":[1,{"b":2}]}'), 2)).toBe(true);
    expect(exceedsJsonDepth(bytes('{"a":"[[[[[[[[\\"[[[["}'), 1)).toBe(false);
    expect(exceedsJsonDepth(bytes(`${"[".repeat(100_000)}${"]".repeat(100_000)}`), 64)).toBe(true);
  });
});

describe("request guard", () => {
  const settings = { enabled: true, window_seconds: 60, failed_auth_limit: 10 };

  it("refuses past the per-key limit with a Retry-After, and other keys are unaffected", async () => {
    const guard = new RequestGuard({
      limiter: new FlexibleRateLimiter({ keyPrefix: `t${Math.random()}` }),
      concurrency: new ConcurrencyGate(),
      settings: () => ({ ...settings, per_client_limit: 3 }),
    });
    for (let i = 0; i < 3; i++) expect((await guard.admit({ tenantId: "t", keyId: "k1" })).ok).toBe(true);
    const refused = await guard.admit({ tenantId: "t", keyId: "k1" });
    expect(refused).toMatchObject({ ok: false, failure: { code: "RATE_LIMITED" } });
    expect(refused.ok ? 0 : refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((await guard.admit({ tenantId: "t", keyId: "k2" })).ok).toBe(true);
  });

  it("applies global and per-tenant limits across keys", async () => {
    const guard = new RequestGuard({
      limiter: new FlexibleRateLimiter({ keyPrefix: `t${Math.random()}` }),
      concurrency: new ConcurrencyGate(),
      settings: () => ({ ...settings, global_limit: 5, per_tenant_limit: 2 }),
    });
    expect((await guard.admit({ tenantId: "a", keyId: "1" })).ok).toBe(true);
    expect((await guard.admit({ tenantId: "a", keyId: "2" })).ok).toBe(true);
    expect((await guard.admit({ tenantId: "a", keyId: "3" })).ok).toBe(false);
    expect((await guard.admit({ tenantId: "b", keyId: "1" })).ok).toBe(true);
    expect((await guard.admit({ tenantId: "c", keyId: "1" })).ok).toBe(true);
    expect((await guard.admit({ tenantId: "d", keyId: "1" })).ok).toBe(false); // 6th overall
  });

  it("enforces the policy's own per-key rate and concurrent-call limit", async () => {
    const engine = PolicyEngine.fromPayload(
      snapshotPayloadSchema.parse(
        payload(1, [
          {
            id: "t",
            slug: "t",
            name: "T",
            policies: [
              { id: "p", name: "p", rules: { rateLimits: { perKey: { requests: 2 }, concurrentCallsPerKey: 1 } } },
            ],
          },
        ]),
      ),
    );
    const guard = new RequestGuard({
      limiter: new FlexibleRateLimiter({ keyPrefix: `t${Math.random()}` }),
      concurrency: new ConcurrencyGate(),
      settings: () => undefined,
    });
    const caller = { tenantId: "t", keyId: "k", access: engine.accessFor("t", "k") };
    const first = await guard.admit(caller);
    expect(first.ok).toBe(true);
    expect(await guard.admit(caller)).toMatchObject({
      ok: false,
      failure: { message: expect.stringContaining("in progress") },
    });
    if (first.ok) first.release();
    const second = await guard.admit(caller); // second request of the window, after release
    expect(second.ok).toBe(true);
    if (second.ok) second.release();
    expect(await guard.admit(caller)).toMatchObject({
      ok: false,
      failure: { message: expect.stringContaining("rate limit") },
    });
  });

  it("does nothing when disabled", async () => {
    const guard = new RequestGuard({
      limiter: new FlexibleRateLimiter(),
      concurrency: new ConcurrencyGate(),
      settings: () => ({ ...settings, enabled: false, per_client_limit: 1 }),
    });
    for (let i = 0; i < 5; i++) expect((await guard.admit({ tenantId: "t", keyId: "k" })).ok).toBe(true);
  });
});

describe("bcrypt flood protection", () => {
  it("a flood of wrong secrets for a real key id runs bcrypt at most the limit, even in parallel", async () => {
    const real = makeApiKey();
    const hash = await hashKey(real.key);
    const index = KeyIndex.fromPayload(
      snapshotPayloadSchema.parse(
        payload(1, [{ id: "t", slug: "t", name: "T", apiKeys: [{ id: "k", prefix: real.prefix, hash }] }]),
      ),
    );
    let bcryptRuns = 0;
    const bcrypt = (await import("bcrypt")).default;
    const guard = new AuthFailureGuard(5, 60);
    const verifier = new BcryptApiKeyVerifier({
      currentIndex: () => index,
      failures: () => guard,
      compare: (key, h) => {
        bcryptRuns++;
        return bcrypt.compare(key, h);
      },
    });
    // The real key verifies first and is cached: the flood must not lock it out.
    expect((await verifier.verify(real.key, "10.0.0.9")).ok).toBe(true);
    const wrong = (i: number) => `${real.key.slice(0, -6)}${String(i).padStart(6, "0")}`;
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => verifier.verify(wrong(i), `10.0.1.${i % 200}`)),
    );
    expect(bcryptRuns).toBeLessThanOrEqual(1 + 5);
    expect(results.filter((r) => !r.ok && r.code === "RATE_LIMITED").length).toBeGreaterThanOrEqual(54);
    expect(await verifier.verify(real.key, "10.0.0.9")).toMatchObject({ ok: true, keyId: "k" });
    expect(bcryptRuns).toBeLessThanOrEqual(6);
  });

  it("limits failures per client address across prefixes", async () => {
    const guard = new AuthFailureGuard(3, 60);
    for (let i = 0; i < 3; i++) expect(await guard.begin(`prefix${i}`, "192.0.2.1")).toBe(0);
    expect(await guard.begin("prefixX", "192.0.2.1")).toBeGreaterThan(0);
    expect(await guard.begin("prefixY", "192.0.2.2")).toBe(0);
  });
});
