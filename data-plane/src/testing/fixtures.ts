// Test-only helpers: sign snapshots the way the control plane does, make keys.
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import bcrypt from "bcrypt";
import { CompactSign, exportJWK, generateKeyPair, type JWK } from "jose";
import { formatApiKey } from "../keys/api-key-format.ts";
import { canonicalJson } from "../snapshots/canonical.ts";
import { SNAPSHOT_JWS_TYPE, SNAPSHOT_SCHEMA, type SnapshotPayloadInput } from "../snapshots/schema.ts";

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
export type SigningKey = { kid: string; privateKey: PrivateKey; publicJwk: JWK };

export async function makeSigningKey(kid = `k-${randomBytes(4).toString("hex")}`): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid };
  return { kid, privateKey, publicJwk };
}

export async function signPayload(payload: unknown, key: SigningKey, typ = SNAPSHOT_JWS_TYPE): Promise<string> {
  return new CompactSign(new TextEncoder().encode(canonicalJson(payload)))
    .setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ })
    .sign(key.privateKey);
}

export function makeApiKey(): { key: string; prefix: string } {
  const alnum = (n: number) =>
    randomBytes(n * 2)
      .toString("base64")
      .replace(/[^A-Za-z0-9]/g, "")
      .slice(0, n);
  const prefix = alnum(12).padEnd(12, "x");
  return { key: formatApiKey(prefix, alnum(40).padEnd(40, "y")), prefix };
}

export function hashKey(key: string, cost = 4): Promise<string> {
  return bcrypt.hash(key, cost);
}

export function payload(version: number, tenants: SnapshotPayloadInput["tenants"] = []): SnapshotPayloadInput {
  return { schema: SNAPSHOT_SCHEMA, version, issuedAt: new Date().toISOString(), expiresAt: null, tenants };
}

/** Command line that runs @modelcontextprotocol/server-everything over stdio. */
export function everythingCommand(): { command: string; args: string[] } {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve("@modelcontextprotocol/server-everything/package.json");
  return { command: process.execPath, args: [path.join(path.dirname(pkgJson), "dist", "index.js"), "stdio"] };
}
