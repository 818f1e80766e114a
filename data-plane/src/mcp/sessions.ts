import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { LRUCache } from "lru-cache";

export type Session = {
  id: string;
  tenantId: string;
  keyId: string;
  protocolVersion: string;
  createdAt: number;
  /**
   * Which server-to-client requests the client declared it takes at initialize
   * (`s` sampling, `e` elicitation, `r` roots); undefined when unknown (old ids, /sse).
   */
  clientCapabilities?: string;
};

export type SessionLookup = { ok: true; session: Session } | { ok: false };

type SessionClaims = { t: string; k: string; v: string; c: number; n: string; a?: string };

const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * MCP sessions (legacy era), each bound to the credential (tenant + key) that
 * created it. The session id carries its own state, HMAC-signed
 * (`<claims>.<mac>`), so any data-plane replica sharing the secret serves it: a
 * fleet behind a load balancer needs no sticky routing and no shared store.
 * Sessions expire `ttlMs` after creation; DELETE revokes on this replica (a
 * bounded local list — other replicas keep honouring it until it expires).
 */
export class SessionStore {
  private readonly secret: Buffer;
  private readonly ttlMs: number;
  private readonly revoked: LRUCache<string, true>;
  /** Ids whose MAC already checked out, with their claims: the HMAC runs once per session, not per request. */
  private readonly verified = new LRUCache<string, SessionClaims>({ max: 10_000 });
  private created = 0;

  constructor(options: { secret?: string; ttlMs?: number; maxRevoked?: number } = {}) {
    this.secret = options.secret ? Buffer.from(options.secret, "utf8") : randomBytes(32);
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.revoked = new LRUCache({ max: options.maxRevoked ?? 100_000, ttl: this.ttlMs });
  }

  create(tenantId: string, keyId: string, protocolVersion: string, clientCapabilities?: string): Session {
    const createdAt = Date.now();
    const claims: SessionClaims = {
      t: tenantId,
      k: keyId,
      v: protocolVersion,
      c: createdAt,
      n: randomBytes(9).toString("base64url"),
    };
    if (clientCapabilities !== undefined) claims.a = clientCapabilities;
    const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
    this.created++;
    const session: Session = { id: `${body}.${this.mac(body)}`, tenantId, keyId, protocolVersion, createdAt };
    if (clientCapabilities !== undefined) session.clientCapabilities = clientCapabilities;
    return session;
  }

  /** A session another credential created is reported exactly like an unknown one. */
  find(id: string, tenantId: string, keyId: string): SessionLookup {
    const dot = id.indexOf(".");
    if (dot <= 0 || id.length > 1024) return { ok: false };
    const claims = this.verified.get(id) ?? this.verify(id, dot);
    if (!claims) return { ok: false };
    if (claims.t !== tenantId || claims.k !== keyId) return { ok: false };
    if (Date.now() - claims.c > this.ttlMs || this.revoked.has(id)) return { ok: false };
    const session: Session = { id, tenantId, keyId, protocolVersion: claims.v, createdAt: claims.c };
    if (typeof claims.a === "string") session.clientCapabilities = claims.a;
    return { ok: true, session };
  }

  private verify(id: string, dot: number): SessionClaims | undefined {
    const body = id.slice(0, dot);
    const given = Buffer.from(id.slice(dot + 1), "base64url");
    const expected = Buffer.from(this.mac(body), "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let claims: SessionClaims;
    try {
      claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as SessionClaims;
    } catch {
      return undefined;
    }
    this.verified.set(id, claims);
    return claims;
  }

  delete(id: string): void {
    this.revoked.set(id, true);
    const createdAt = this.createdAtOf(id);
    if (createdAt !== undefined) this.onDelete?.(id, createdAt + this.ttlMs);
  }

  /** Told of every DELETE here (with the session's expiry), to share it with the fleet. */
  onDelete: ((id: string, expiresAt: number) => void) | undefined;

  /** A revocation another replica shared. */
  revokeLocally(id: string): void {
    this.revoked.set(id, true);
  }

  private createdAtOf(id: string): number | undefined {
    const dot = id.indexOf(".");
    try {
      const claims = JSON.parse(Buffer.from(id.slice(0, dot), "base64url").toString("utf8")) as SessionClaims;
      return typeof claims.c === "number" ? claims.c : undefined;
    } catch {
      return undefined;
    }
  }

  /** Sessions created by this replica since it started (they hold no memory here). */
  get size(): number {
    return this.created;
  }

  private mac(body: string): string {
    return createHmac("sha256", this.secret).update(body).digest("base64url");
  }
}
