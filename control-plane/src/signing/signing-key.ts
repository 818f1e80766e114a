import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { trustedPublicKeys } from "./signing-keyring.ts";

/** The control plane's Ed25519 snapshot signing key. */
export type SigningKey = { kid: string; privateKey: CryptoKey; publicJwk: JWK };

export const SIGNING_KEY_FILE = "signing-key.json";
/** Public keys a data plane trusts: `{ "keys": [JWK...] }`. */
export const TRUSTED_KEYS_FILE = "trusted-keys.json";

/**
 * Loads the signing key from ONLY1MCP_SIGNING_KEY (a private JWK) or the data
 * dir; generates one into the data dir (mode 0600) on first start.
 */
export async function ensureSigningKey(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<SigningKey> {
  const fromEnv = env.ONLY1MCP_SIGNING_KEY?.trim();
  const file = path.join(dataDir, SIGNING_KEY_FILE);
  let jwk: JWK;
  if (fromEnv) jwk = JSON.parse(fromEnv) as JWK;
  else if (existsSync(file)) jwk = JSON.parse(readFileSync(file, "utf8")) as JWK;
  else {
    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    jwk = await exportJWK(privateKey);
    jwk.kid = await calculateJwkThumbprint(jwk);
    jwk.alg = "EdDSA";
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
  }
  const key = await signingKeyFromJwk(jwk);
  // During a rotation the staged and the retired key stay trusted (signing-keyring.ts).
  writeTrustedKeys(dataDir, await trustedPublicKeys(dataDir, key));
  return key;
}

export async function signingKeyFromJwk(jwk: JWK): Promise<SigningKey> {
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.d)
    throw new Error("signing key must be a private Ed25519 JWK");
  const { d: _private, ...publicPart } = jwk;
  const kid = jwk.kid ?? (await calculateJwkThumbprint(publicPart));
  const privateKey = (await importJWK({ ...jwk, kid }, "EdDSA")) as CryptoKey;
  return { kid, privateKey, publicJwk: { kty: "OKP", crv: "Ed25519", x: publicPart.x, kid, alg: "EdDSA", use: "sig" } };
}

export function writeTrustedKeys(dataDir: string, keys: JWK[]): string {
  const file = path.join(dataDir, TRUSTED_KEYS_FILE);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o644 });
  chmodSync(file, 0o644);
  return file;
}
