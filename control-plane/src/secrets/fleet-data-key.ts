import { createHash, createHmac, hkdfSync } from "node:crypto";
import { CompactEncrypt, importJWK, type JWK } from "jose";
import type { SecretsKey } from "./secrets-key.ts";

/**
 * The fleet data key: one AES-256 key that every data plane holds, derived from the
 * secrets key (HKDF-SHA256), so it changes when the secrets key does and is never
 * stored. Snapshots carry secrets sealed with it (the same signed bytes for every
 * node); each node receives it wrapped for its own X25519 key in the heartbeat answer.
 */
export type FleetDataKey = { kid: string; key: Buffer };

export function deriveFleetDataKey(secretsKey: SecretsKey): FleetDataKey {
  const key = Buffer.from(hkdfSync("sha256", secretsKey.key, Buffer.alloc(0), "only1mcp fleet data key v1", 32));
  return { kid: `fdk-${createHash("sha256").update(key).digest("hex").slice(0, 16)}`, key };
}

/** Changes with the value only; reveals nothing without the data key (HMAC-SHA256). */
export function secretFingerprint(dataKey: FleetDataKey, name: string, plaintext: string): string {
  return createHmac("sha256", dataKey.key).update(`${name}\0${plaintext}`).digest("hex");
}

/** A compact JWE (alg dir, enc A256GCM, kid of the data key); a fresh IV each time. */
export async function sealForFleet(dataKey: FleetDataKey, plaintext: string): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: dataKey.kid })
    .encrypt(dataKey.key);
}

/** The data key sealed to one node's public key: JWE ECDH-ES+A256KW / A256GCM. */
export async function wrapDataKeyForNode(dataKey: FleetDataKey, nodePublicJwk: JWK): Promise<string> {
  const publicKey = await importJWK({ kty: "OKP", crv: "X25519", x: nodePublicJwk.x }, "ECDH-ES+A256KW");
  const body = JSON.stringify({ keys: [{ kid: dataKey.kid, k: dataKey.key.toString("base64url") }] });
  return new CompactEncrypt(new TextEncoder().encode(body))
    .setProtectedHeader({ alg: "ECDH-ES+A256KW", enc: "A256GCM" })
    .encrypt(publicKey);
}
