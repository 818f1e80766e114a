import bcrypt from "bcrypt";

/** bcrypt cost for stored secrets (API keys, operator tokens, passwords). */
export const BCRYPT_COST = 10;

export function hashSecret(secret: string): Promise<string> {
  return bcrypt.hash(secret, BCRYPT_COST);
}

export function secretMatches(secret: string, hash: string): Promise<boolean> {
  return bcrypt.compare(secret, hash);
}
