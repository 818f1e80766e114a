import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";

/** This data plane's X25519 key pair: the control plane wraps the fleet data key for its public half. */
export type NodeKey = { privateKey: Awaited<ReturnType<typeof importJWK>>; publicJwk: JWK };

export const NODE_KEY_FILE = "node-key.json";
export const NODE_KEY_ALG = "ECDH-ES+A256KW";

/** `$STATE_DIR/node-key.json` (0600): generated on first start, kept across restarts. */
export async function ensureNodeKey(stateDir: string): Promise<NodeKey> {
  const file = path.join(stateDir, NODE_KEY_FILE);
  let jwk: JWK | undefined;
  try {
    jwk = JSON.parse(readFileSync(file, "utf8")) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (!jwk) {
    const { privateKey } = await generateKeyPair(NODE_KEY_ALG, { crv: "X25519", extractable: true });
    jwk = await exportJWK(privateKey);
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
  }
  if (jwk.kty !== "OKP" || jwk.crv !== "X25519" || !jwk.d || !jwk.x)
    throw new Error(`${file} is not a private X25519 JWK`);
  return {
    privateKey: await importJWK(jwk, NODE_KEY_ALG),
    publicJwk: { kty: "OKP", crv: "X25519", x: jwk.x },
  };
}
