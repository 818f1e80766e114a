import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "./secret-box.ts";
import { ensureSecretsKey } from "./secrets-key.ts";

describe("secrets encrypted at rest (AES-256-GCM)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "o1-secrets-"));
  const key = ensureSecretsKey(dir);

  it("round-trips, never stores the plaintext, and uses a fresh IV each time", () => {
    const sealed = sealSecret(key, "hunter2-token", "t1:github");
    expect(sealed).not.toContain("hunter2");
    expect(sealSecret(key, "hunter2-token", "t1:github")).not.toBe(sealed);
    expect(openSecret(key, sealed, "t1:github")).toEqual({ ok: true, plaintext: "hunter2-token" });
  });

  it("refuses a tampered ciphertext, another row's binding and another key", () => {
    const sealed = sealSecret(key, "value", "t1:a");
    const [iv, ct, tag] = sealed.split(".") as [string, string, string];
    const flipped = Buffer.from(ct, "base64url");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(openSecret(key, `${iv}.${flipped.toString("base64url")}.${tag}`, "t1:a")).toEqual({
      ok: false,
      code: "TAMPERED_OR_WRONG_KEY",
    });
    expect(openSecret(key, sealed, "t2:a")).toMatchObject({ ok: false });
    const other = ensureSecretsKey(mkdtempSync(path.join(tmpdir(), "o1-secrets-other-")));
    expect(openSecret(other, sealed, "t1:a")).toMatchObject({ ok: false });
    expect(openSecret(key, "not-sealed", "t1:a")).toEqual({ ok: false, code: "MALFORMED" });
  });

  it("keeps the generated key (0600) across restarts, or takes it from the environment", () => {
    expect(ensureSecretsKey(dir).keyId).toBe(key.keyId);
    expect(statSync(path.join(dir, "secrets-key")).mode & 0o777).toBe(0o600);
    const fromEnv = ensureSecretsKey(dir, { ONLY1MCP_SECRETS_KEY: Buffer.alloc(32, 7).toString("base64") });
    expect(fromEnv.keyId).not.toBe(key.keyId);
    expect(() => ensureSecretsKey(dir, { ONLY1MCP_SECRETS_KEY: "c2hvcnQ=" })).toThrow(/32 bytes/);
  });
});
