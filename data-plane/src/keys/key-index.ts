import type { SnapshotPayload } from "../snapshots/schema.ts";

/** One API key as the verifier sees it: who it belongs to and what its hash is. */
export type IndexedKey = {
  tenantId: string;
  keyId: string;
  hash: string;
  /** Epoch ms, or null for a key that never expires. */
  expiresAtMs: number | null;
  roles: readonly string[];
};

/** API keys of one applied configuration, by public prefix; rebuilt for every snapshot. */
export class KeyIndex {
  private constructor(private readonly byPrefix: ReadonlyMap<string, readonly IndexedKey[]>) {}

  static empty(): KeyIndex {
    return new KeyIndex(new Map());
  }

  static fromPayload(payload: Pick<SnapshotPayload, "tenants">): KeyIndex {
    const byPrefix = new Map<string, IndexedKey[]>();
    for (const tenant of payload.tenants) {
      for (const key of tenant.apiKeys) {
        const entry: IndexedKey = {
          tenantId: tenant.id,
          keyId: key.id,
          hash: key.hash,
          expiresAtMs: key.expiresAt ? Date.parse(key.expiresAt) : null,
          roles: key.roles ?? [],
        };
        const list = byPrefix.get(key.prefix);
        if (list) list.push(entry);
        else byPrefix.set(key.prefix, [entry]);
      }
    }
    return new KeyIndex(byPrefix);
  }

  candidates(prefix: string): readonly IndexedKey[] {
    return this.byPrefix.get(prefix) ?? [];
  }
}

export function isExpired(key: IndexedKey, nowMs: number): boolean {
  return key.expiresAtMs !== null && key.expiresAtMs <= nowMs;
}
