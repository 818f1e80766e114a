import { randomBytes } from "node:crypto";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CompactEncrypt, importJWK } from "jose";
import { describe, expect, it } from "vitest";
import type { UpstreamEntry } from "../snapshots/schema.ts";
import { DATA_KEYS_FILE, DataKeyring } from "./data-keys.ts";
import { ensureNodeKey, NODE_KEY_FILE } from "./node-key.ts";
import { resolveUpstreamSecrets } from "./resolve-upstream-secrets.ts";
import { openSealedSecret } from "./sealed-secret.ts";

const dataKey = randomBytes(32);
const keys = new Map([["fdk-1", dataKey]]);
const seal = (plaintext: string, kid = "fdk-1", key = dataKey) =>
  new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid })
    .encrypt(key);
const wrapFor = async (publicJwk: object, body: unknown) =>
  new CompactEncrypt(new TextEncoder().encode(JSON.stringify(body)))
    .setProtectedHeader({ alg: "ECDH-ES+A256KW", enc: "A256GCM" })
    .encrypt(await importJWK(publicJwk, "ECDH-ES+A256KW"));

describe("sealed secrets (JWE dir/A256GCM under the fleet data key)", () => {
  it("opens what the data key sealed, refuses tampering, unknown kids and other algorithms", async () => {
    const jwe = await seal("s3cret");
    expect(openSealedSecret(jwe, keys)).toEqual({ ok: true, plaintext: "s3cret" });
    const parts = jwe.split(".");
    const ct = Buffer.from(parts[3] ?? "", "base64url");
    ct[0] = (ct[0] ?? 0) ^ 1;
    parts[3] = ct.toString("base64url");
    expect(openSealedSecret(parts.join("."), keys)).toMatchObject({ ok: false, reason: /tampered/ });
    expect(openSealedSecret(await seal("x", "fdk-other"), keys)).toMatchObject({
      ok: false,
      reason: /no fleet data key/,
    });
    expect(openSealedSecret(await seal("x", "fdk-1", randomBytes(32)), keys)).toMatchObject({ ok: false });
    expect(openSealedSecret("not.a.jwe", keys)).toMatchObject({ ok: false });
  });

  it("resolves secret:// env and header values, or says which secret is missing", async () => {
    const stdio: UpstreamEntry = {
      id: "srv_1",
      name: "s",
      transport: "stdio",
      command: "/bin/true",
      args: [],
      env: { TOKEN: "secret://token", MODE: "plain" },
    };
    const sealed = { token: { fingerprint: "0".repeat(64), jwe: await seal("tok-value") } };
    expect(resolveUpstreamSecrets(stdio, sealed, keys)).toEqual({
      ok: true,
      def: { ...stdio, env: { TOKEN: "tok-value", MODE: "plain" } },
    });
    expect(resolveUpstreamSecrets(stdio, {}, keys)).toEqual({
      ok: false,
      reason: "secret 'token' is not in the snapshot",
    });
    expect(resolveUpstreamSecrets(stdio, sealed, new Map())).toMatchObject({ ok: false, reason: /no fleet data key/ });
    const http: UpstreamEntry = {
      id: "srv_2",
      name: "h",
      transport: "http",
      url: "http://127.0.0.1:1/mcp",
      headers: { "x-key": "secret://token" },
    };
    expect(resolveUpstreamSecrets(http, sealed, keys)).toMatchObject({
      ok: true,
      def: { headers: { "x-key": "tok-value" } },
    });
  });

  it("keeps the node key (0600) and the wrapped data keys across restarts; refuses keys sealed to another node", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "o1-dp-keys-"));
    const nodeKey = await ensureNodeKey(dir);
    expect(statSync(path.join(dir, NODE_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect((await ensureNodeKey(dir)).publicJwk).toEqual(nodeKey.publicJwk);
    const ring = new DataKeyring(nodeKey, dir);
    const wrapped = await wrapFor(nodeKey.publicJwk, { keys: [{ kid: "fdk-1", k: dataKey.toString("base64url") }] });
    expect(await ring.install(wrapped)).toBe(true);
    expect(await ring.install(wrapped)).toBe(false);
    expect(ring.map.get("fdk-1")?.equals(dataKey)).toBe(true);
    expect(statSync(path.join(dir, DATA_KEYS_FILE)).mode & 0o777).toBe(0o600);
    const restarted = new DataKeyring(await ensureNodeKey(dir), dir);
    expect(await restarted.loadPersisted()).toBe(true);
    expect(restarted.map.get("fdk-1")?.equals(dataKey)).toBe(true);

    const other = await ensureNodeKey(mkdtempSync(path.join(tmpdir(), "o1-dp-other-")));
    const notOurs = await wrapFor(other.publicJwk, { keys: [{ kid: "fdk-2", k: dataKey.toString("base64url") }] });
    await expect(ring.install(notOurs)).rejects.toThrow();
    expect(ring.map.has("fdk-2")).toBe(false);
  });
});
