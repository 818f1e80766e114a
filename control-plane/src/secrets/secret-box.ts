import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { SecretsKey } from "./secrets-key.ts";

/**
 * AES-256-GCM with a fresh 96-bit IV per encryption. The additional data binds a
 * ciphertext to where it belongs (tenant and name): moved to another row, it fails.
 * Stored as `iv.ciphertext.tag` in base64url.
 */
export function sealSecret(key: SecretsKey, plaintext: string, additionalData: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.key, iv);
  cipher.setAAD(Buffer.from(additionalData, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString("base64url")).join(".");
}

export type OpenResult = { ok: true; plaintext: string } | { ok: false; code: "MALFORMED" | "TAMPERED_OR_WRONG_KEY" };

export function openSecret(key: SecretsKey, sealed: string, additionalData: string): OpenResult {
  const parts = sealed.split(".");
  if (parts.length !== 3) return { ok: false, code: "MALFORMED" };
  const [iv, ciphertext, tag] = parts.map((part) => Buffer.from(part, "base64url")) as [Buffer, Buffer, Buffer];
  if (iv.length !== 12 || tag.length !== 16) return { ok: false, code: "MALFORMED" };
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, iv);
    decipher.setAAD(Buffer.from(additionalData, "utf8"));
    decipher.setAuthTag(tag);
    return { ok: true, plaintext: Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8") };
  } catch {
    return { ok: false, code: "TAMPERED_OR_WRONG_KEY" };
  }
}
