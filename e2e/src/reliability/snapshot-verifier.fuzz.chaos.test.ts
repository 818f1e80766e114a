import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AppliedConfig } from "../../../data-plane/src/snapshots/applied-config.ts";
import { ConfigState } from "../../../data-plane/src/snapshots/apply.ts";
import type { SnapshotStore } from "../../../data-plane/src/snapshots/store.ts";
import { TrustedKeys, verifySnapshot } from "../../../data-plane/src/snapshots/verify.ts";
import { makeSigningKey, payload, signPayload } from "../../../data-plane/src/testing/fixtures.ts";
import { recordFigures } from "./harness/figures.ts";

class MemoryStore implements SnapshotStore {
  writes: string[] = [];
  async read() {
    return this.writes.at(-1);
  }
  async write(jws: string) {
    this.writes.push(jws);
  }
}

const RUNS = Number(process.env.CHAOS_FUZZ_RUNS ?? 1000);
const b64 = (value: unknown) =>
  Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

async function setup() {
  const trustedKey = await makeSigningKey("trusted");
  const otherKey = await makeSigningKey("trusted"); // same kid, different key: a forger's guess
  const trusted = await TrustedKeys.fromJwks([trustedKey.publicJwk]);
  const store = new MemoryStore();
  const applied: AppliedConfig[] = [];
  const state = new ConfigState({ trusted, store, onApply: (config) => applied.push(config) });
  const baseline = await signPayload(payload(1), trustedKey);
  expect(await state.applyJws(baseline)).toMatchObject({ ok: true });
  const valid = await signPayload(payload(5), trustedKey);
  return { trustedKey, otherKey, trusted, store, applied, state, valid };
}

/** A mutation of one compact JWS: change, insert or delete characters, swap or drop segments. */
function mutated(jws: string) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \n{}"';
  return fc.oneof(
    fc
      .record({ at: fc.nat(jws.length - 1), ch: fc.constantFrom(...alphabet) })
      .map(({ at, ch }) => jws.slice(0, at) + ch + jws.slice(at + 1)),
    fc
      .record({ at: fc.nat(jws.length), s: fc.string({ maxLength: 8 }) })
      .map(({ at, s }) => jws.slice(0, at) + s + jws.slice(at)),
    fc
      .record({ at: fc.nat(jws.length - 1), n: fc.integer({ min: 1, max: 20 }) })
      .map(({ at, n }) => jws.slice(0, at) + jws.slice(at + n)),
    fc.constantFrom(...permutations(jws.split("."))).map((parts) => parts.join(".")),
  );
}

function permutations(parts: string[]): string[][] {
  const [a = "", b = "", c = ""] = parts;
  return [
    [a, c, b],
    [b, a, c],
    [c, b, a],
    [a, b],
    [a, b, c, c],
    [a, "", c],
    ["", b, c],
  ];
}

/** Whether a mutated token still carries the very bytes that were signed (base64url's spare bits). */
function sameSignedBytes(original: string, candidate: string): boolean {
  const [h, p, s] = original.trim().split(".");
  const [h2, p2, s2] = candidate.trim().split(".");
  return (
    h === h2 &&
    p === p2 &&
    s !== undefined &&
    s2 !== undefined &&
    Buffer.from(s, "base64url").equals(Buffer.from(s2, "base64url"))
  );
}

describe("snapshot verifier under hostile input (fast-check)", () => {
  it("never throws and never applies a mutated, forged or random JWS", async () => {
    const { otherKey, store, applied, state, valid } = await setup();
    const writesBefore = store.writes.length;
    const appliedBefore = applied.length;
    let accepted = 0;
    const header = { alg: "EdDSA", kid: "trusted", typ: "only1mcp-snapshot+jws" };
    const forged = await signPayload(payload(9), otherKey);
    const hostile = fc.oneof(
      { weight: 4, arbitrary: mutated(valid) },
      { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.base64String(), fc.base64String(), fc.base64String())
          .map((parts) => parts.join(".").replace(/[+/=]/g, "A")),
      },
      { weight: 1, arbitrary: fc.json().map((body) => `${b64(header)}.${b64(body)}.${valid.split(".")[2]}`) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          forged,
          `${b64({ ...header, alg: "none" })}.${valid.split(".")[1]}.`,
          `${b64({ ...header, alg: "HS256" })}.${valid.split(".")[1]}.${valid.split(".")[2]}`,
        ),
      },
    );
    await fc.assert(
      fc.asyncProperty(hostile, async (jws) => {
        const result = await state.applyJws(jws);
        if (result.ok) {
          // Only a no-op mutation (same signed bytes) may verify, and it is then the real v5.
          expect(sameSignedBytes(valid, jws)).toBe(true);
          accepted += 1;
          return;
        }
        expect(result.error.code).toMatch(/^SNAPSHOT_/);
        expect(result.error.message.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
    if (accepted === 0) {
      expect(store.writes.length).toBe(writesBefore);
      expect(applied.length).toBe(appliedBefore);
    }
    recordFigures({
      "inputs tried": RUNS,
      "accepted (no-op mutations of the real v5 only)": accepted,
      "exceptions thrown": 0,
    });
  });

  it("refuses any payload signed by the trusted key that is not a snapshot.v1, without throwing", async () => {
    const { trustedKey, trusted } = await setup();
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const result = await verifySnapshot(await signPayload(body, trustedKey), trusted);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(["INVALID_PAYLOAD", "MALFORMED"]).toContain(result.error.code);
      }),
      { numRuns: RUNS },
    );
    recordFigures({ "signed random payloads tried": RUNS, applied: 0 });
  });
});
