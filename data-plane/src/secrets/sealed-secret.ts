import { createDecipheriv } from "node:crypto";

/** An upstream env or header value that names a sealed secret of its tenant instead of holding it. */
export const SECRET_REFERENCE = /^secret:\/\/(.{1,256})$/;

export function secretReferenceName(value: string): string | undefined {
  return SECRET_REFERENCE.exec(value)?.[1];
}

export type OpenSealedResult = { ok: true; plaintext: string } | { ok: false; reason: string };

const COMPACT_JWE_DIR = /^([A-Za-z0-9_-]+)\.\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]+)$/;

/**
 * Opens a compact JWE with `alg: dir, enc: A256GCM` (RFC 7516; the additional data is
 * the protected header's base64url) with the fleet data key its `kid` names.
 * Synchronous on purpose: upstream definitions are resolved while a snapshot applies.
 */
export function openSealedSecret(jwe: string, keys: ReadonlyMap<string, Buffer>): OpenSealedResult {
  const match = COMPACT_JWE_DIR.exec(jwe);
  if (!match) return { ok: false, reason: "not a compact JWE (dir)" };
  const [, headerB64 = "", ivB64 = "", ciphertextB64 = "", tagB64 = ""] = match;
  let header: { alg?: unknown; enc?: unknown; kid?: unknown };
  try {
    header = JSON.parse(Buffer.from(headerB64, "base64url").toString("utf8")) as typeof header;
  } catch {
    return { ok: false, reason: "unreadable JWE header" };
  }
  if (header.alg !== "dir" || header.enc !== "A256GCM") return { ok: false, reason: "unsupported JWE algorithm" };
  const key = typeof header.kid === "string" ? keys.get(header.kid) : undefined;
  if (!key) return { ok: false, reason: `no fleet data key '${String(header.kid)}' on this node yet` };
  const iv = Buffer.from(ivB64, "base64url");
  const tag = Buffer.from(tagB64, "base64url");
  if (iv.length !== 12 || tag.length !== 16) return { ok: false, reason: "malformed JWE" };
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAAD(Buffer.from(headerB64, "ascii"));
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertextB64, "base64url")), decipher.final()]);
    return { ok: true, plaintext: plaintext.toString("utf8") };
  } catch {
    return { ok: false, reason: "sealed secret does not open with the fleet data key (tampered or wrong key)" };
  }
}
