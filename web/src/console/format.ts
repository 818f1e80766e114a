/** Display helpers for the console: UTC timestamps, short hashes, key prefixes, key status. */

const dateTime = new Intl.DateTimeFormat("en-GB", {
  year: "numeric",
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

export function formatDateTime(value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  return `${dateTime.format(date)} UTC`;
}

export function shortHash(hash: string | null | undefined, length = 12): string {
  if (!hash) return "—";
  return hash.length > length ? `${hash.slice(0, length)}…` : hash;
}

/** A key (`o1k_<prefix>_<secret>`) is shown by its public prefix only; the secret is never displayed. */
export function displayKeyPrefix(prefix: string): string {
  return `o1k_${prefix}_…`;
}

export type KeyStatus = "active" | "expired" | "revoked";

export function keyStatus(key: { expiresAt: Date | null; revokedAt: Date | null }, now = new Date()): KeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}
