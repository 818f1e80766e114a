import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import { SIGNING_KEY_FILE, type SigningKey, signingKeyFromJwk, writeTrustedKeys } from "./signing-key.ts";

/**
 * Signing-key rotation in two steps, so no data plane ever sees a snapshot signed
 * by a key it does not trust yet:
 * 1. stageNextSigningKey: a new key is generated and its public half added to the
 *    trusted keys (data planes load it), while the old key still signs;
 * 2. activateNextSigningKey: the new key signs from now on; the old public key stays
 *    trusted until the overlap ends, so last-known-good snapshots still verify.
 */
export const NEXT_SIGNING_KEY_FILE = "signing-key.next.json";
export const RETIRED_KEYS_FILE = "signing-keys.retired.json";

export class NoStagedSigningKeyError extends Error {
  constructor() {
    super("no staged signing key: stage one first");
  }
}

type RetiredKey = { publicJwk: JWK; trustedUntil: string };

export async function stageNextSigningKey(dataDir: string, current: SigningKey): Promise<SigningKey> {
  const file = path.join(dataDir, NEXT_SIGNING_KEY_FILE);
  const jwk = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as JWK) : await generatePrivateJwk();
  writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
  const next = await signingKeyFromJwk(jwk);
  writeTrustedKeys(dataDir, await trustedPublicKeys(dataDir, current));
  return next;
}

export async function activateNextSigningKey(
  dataDir: string,
  current: SigningKey,
  options: { overlapMs: number; now?: Date },
): Promise<SigningKey> {
  const nextFile = path.join(dataDir, NEXT_SIGNING_KEY_FILE);
  if (!existsSync(nextFile)) throw new NoStagedSigningKeyError();
  const now = options.now ?? new Date();
  const retired = readRetired(dataDir).filter((entry) => entry.publicJwk.kid !== current.kid);
  retired.push({
    publicJwk: current.publicJwk,
    trustedUntil: new Date(now.getTime() + options.overlapMs).toISOString(),
  });
  writeFileSync(path.join(dataDir, RETIRED_KEYS_FILE), JSON.stringify(retired), { mode: 0o600 });
  renameSync(nextFile, path.join(dataDir, SIGNING_KEY_FILE));
  const next = await signingKeyFromJwk(JSON.parse(readFileSync(path.join(dataDir, SIGNING_KEY_FILE), "utf8")) as JWK);
  writeTrustedKeys(dataDir, await trustedPublicKeys(dataDir, next, now));
  return next;
}

/** The active key, a staged next key, and retired keys still inside their overlap. */
export async function trustedPublicKeys(dataDir: string, active: SigningKey, now = new Date()): Promise<JWK[]> {
  const keys: JWK[] = [active.publicJwk];
  const nextFile = path.join(dataDir, NEXT_SIGNING_KEY_FILE);
  if (existsSync(nextFile)) {
    const next = await signingKeyFromJwk(JSON.parse(readFileSync(nextFile, "utf8")) as JWK);
    keys.push(next.publicJwk);
  }
  for (const entry of readRetired(dataDir)) {
    if (Date.parse(entry.trustedUntil) > now.getTime() && !keys.some((k) => k.kid === entry.publicJwk.kid))
      keys.push(entry.publicJwk);
  }
  return keys;
}

function readRetired(dataDir: string): RetiredKey[] {
  const file = path.join(dataDir, RETIRED_KEYS_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as RetiredKey[]) : [];
}

async function generatePrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const jwk = await exportJWK(privateKey);
  const { d: _private, ...publicPart } = jwk;
  jwk.kid = await calculateJwkThumbprint(publicPart);
  jwk.alg = "EdDSA";
  return jwk;
}
