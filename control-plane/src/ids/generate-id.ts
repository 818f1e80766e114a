import { randomBytes, randomInt } from "node:crypto";

const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Random letters and digits, unbiased. */
export function randomAlphanumeric(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

export function randomSecret(bytes = 30): string {
  return randomBytes(bytes).toString("base64url");
}

export type IdKind = "ten" | "op" | "mem" | "key" | "tok" | "pol" | "srv" | "node" | "evt" | "ret" | "rpt" | "sec";

/** Typed, prefixed ids (`ten_…`, `key_…`) so an id says what it names. */
export function generateId(kind: IdKind): string {
  return `${kind}_${randomAlphanumeric(20)}`;
}
