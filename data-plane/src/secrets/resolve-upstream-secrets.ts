import type { SealedSecret, UpstreamEntry } from "../snapshots/schema.ts";
import { openSealedSecret, secretReferenceName } from "./sealed-secret.ts";

export type ResolvedUpstream = { ok: true; def: UpstreamEntry } | { ok: false; reason: string };

/** The sealed secrets an upstream's env (stdio) or headers (HTTP) refer to, by name. */
export function referencedSecrets(def: UpstreamEntry): string[] {
  const values = Object.values(def.transport === "stdio" ? def.env : def.headers);
  return values.flatMap((value) => secretReferenceName(value) ?? []).sort();
}

/**
 * Replaces every `secret://name` env/header value with the plaintext of the tenant's
 * sealed secret. The plaintext lives only in the returned definition (in memory,
 * handed to the process or the HTTP client), never in a log or on disk.
 */
export function resolveUpstreamSecrets(
  def: UpstreamEntry,
  sealed: Readonly<Record<string, SealedSecret>> | undefined,
  keys: ReadonlyMap<string, Buffer>,
): ResolvedUpstream {
  const source = def.transport === "stdio" ? def.env : def.headers;
  const resolved: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    const reference = secretReferenceName(value);
    if (reference === undefined) {
      resolved[name] = value;
      continue;
    }
    const entry = sealed?.[reference];
    if (!entry) return { ok: false, reason: `secret '${reference}' is not in the snapshot` };
    const opened = openSealedSecret(entry.jwe, keys);
    if (!opened.ok) return { ok: false, reason: `secret '${reference}': ${opened.reason}` };
    resolved[name] = opened.plaintext;
  }
  return {
    ok: true,
    def: def.transport === "stdio" ? { ...def, env: resolved } : { ...def, headers: resolved },
  };
}
