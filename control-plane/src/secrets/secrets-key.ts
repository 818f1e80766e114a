import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The AES-256-GCM key secrets are encrypted with at rest; keyId tells keys apart after a change. */
export type SecretsKey = { keyId: string; key: Buffer };

export const SECRETS_KEY_FILE = "secrets-key";

/** ONLY1MCP_SECRETS_KEY (32 bytes, base64 or base64url), else the data dir's key, generated (0600) on first use. */
export function ensureSecretsKey(dataDir: string, env: NodeJS.ProcessEnv = {}): SecretsKey {
  const fromEnv = env.ONLY1MCP_SECRETS_KEY?.trim();
  let key: Buffer;
  if (fromEnv) key = Buffer.from(fromEnv, fromEnv.includes("-") || fromEnv.includes("_") ? "base64url" : "base64");
  else {
    const file = path.join(dataDir, SECRETS_KEY_FILE);
    if (existsSync(file)) key = Buffer.from(readFileSync(file, "utf8").trim(), "base64url");
    else {
      key = randomBytes(32);
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      writeFileSync(file, key.toString("base64url"), { mode: 0o600 });
    }
  }
  if (key.length !== 32) throw new Error("the secrets key must be 32 bytes (AES-256)");
  return { keyId: createHash("sha256").update(key).digest("hex").slice(0, 16), key };
}
