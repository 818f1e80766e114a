/** Protocol revisions of the initialize + session era this gateway speaks, newest first. */
export const SUPPORTED_PROTOCOL_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26"] as const;
export const LATEST_PROTOCOL_VERSION = SUPPORTED_PROTOCOL_VERSIONS[0];
/** Revisions of the stateless era (per-request `_meta`, `server/discover`). */
export const MODERN_PROTOCOL_VERSIONS = ["2026-07-28"] as const;

export const SERVER_INFO = { name: "only1mcp", version: "0.1.0" } as const;

export function isSupportedVersion(version: string): boolean {
  return (
    (SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(version) ||
    (MODERN_PROTOCOL_VERSIONS as readonly string[]).includes(version)
  );
}

/** Echo the client's version when supported, else offer the latest. */
export function negotiateVersion(requested: unknown): string {
  return typeof requested === "string" && (SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(requested)
    ? requested
    : LATEST_PROTOCOL_VERSION;
}
