import { createHash } from "node:crypto";
import type { UpstreamEntry } from "../snapshots/schema.ts";

/** Tool and prompt names MCP clients accept are at most this long. */
export const MAX_NAME_LENGTH = 64;

/** `<prefix><separator><name>`, or the bare name when the upstream's prefix is "". */
export function exposedName(def: Pick<UpstreamEntry, "name" | "prefix" | "separator">, name: string): string {
  const prefix = def.prefix ?? def.name;
  return fitName(prefix === "" ? name : `${prefix}${def.separator ?? "__"}${name}`);
}

/** Names over 64 characters keep their start and get a deterministic short hash of the whole. */
export function fitName(name: string): string {
  if (name.length <= MAX_NAME_LENGTH) return name;
  return `${name.slice(0, MAX_NAME_LENGTH - 9)}_${shortHash(name)}`;
}

/** A clashing name stays visible under a name made unique by its upstream's id. */
export function disambiguate(name: string, upstreamId: string): string {
  const suffix = `_${shortHash(upstreamId)}`;
  return `${name.slice(0, MAX_NAME_LENGTH - suffix.length)}${suffix}`;
}

export function shortHash(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 8);
}
