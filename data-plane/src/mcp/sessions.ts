import { randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";

export type Session = {
  id: string;
  tenantId: string;
  keyId: string;
  protocolVersion: string;
  createdAt: number;
};

export type SessionLookup = { ok: true; session: Session } | { ok: false };

/**
 * MCP sessions, each bound to the credential (tenant + key) that created it.
 * Idle sessions expire; the store is bounded so no client can grow it forever.
 */
export class SessionStore {
  private readonly sessions: LRUCache<string, Session>;

  constructor(options: { max?: number; idleTtlMs?: number } = {}) {
    this.sessions = new LRUCache({
      max: options.max ?? 50_000,
      ttl: options.idleTtlMs ?? 60 * 60 * 1000,
      updateAgeOnGet: true,
    });
  }

  create(tenantId: string, keyId: string, protocolVersion: string): Session {
    const session: Session = {
      id: randomBytes(24).toString("base64url"),
      tenantId,
      keyId,
      protocolVersion,
      createdAt: Date.now(),
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** A session another credential created is reported exactly like an unknown one. */
  find(id: string, tenantId: string, keyId: string): SessionLookup {
    const session = this.sessions.get(id);
    if (!session || session.tenantId !== tenantId || session.keyId !== keyId) return { ok: false };
    return { ok: true, session };
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }
}
