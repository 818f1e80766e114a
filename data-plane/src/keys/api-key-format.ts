/**
 * API keys look like `o1k_<prefix>_<secret>`: the prefix is public and finds the
 * key's hash in the snapshot; the whole string is what the hash covers.
 */
export const API_KEY_PREFIX = "o1k";
const KEY_PATTERN = /^o1k_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{32,64})$/;

export type ParsedApiKey = { prefix: string; key: string };

export function parseApiKey(candidate: string): ParsedApiKey | undefined {
  const match = KEY_PATTERN.exec(candidate);
  if (!match?.[1]) return undefined;
  return { prefix: match[1], key: candidate };
}

export function formatApiKey(prefix: string, secret: string): string {
  const key = `${API_KEY_PREFIX}_${prefix}_${secret}`;
  if (!parseApiKey(key)) throw new Error("generated API key does not match its own format");
  return key;
}
