import { hash as oneShotHash } from "node:crypto";
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from "jose";
import { LRUCache } from "lru-cache";
import type { JwtSettings } from "../security/security-schema.ts";
import type { SnapshotPayload } from "../snapshots/schema.ts";

export type JwtVerification =
  | { ok: true; tenantId: string; keyId: string; roles: readonly string[]; scopes: readonly string[] }
  | { ok: false; code: "EXPIRED" | "INVALID" | "NOT_FOUND" }
  | { ok: false; code: "INSUFFICIENT_SCOPE"; requiredScopes: readonly string[] };

type CachedToken = { tenantClaim: string; subject: string; roles: string[]; scopes: string[]; expMs: number };

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function looksLikeJwt(token: string): boolean {
  return JWT_SHAPE.test(token);
}

/**
 * OAuth 2.1 resource-server token check: signature by the issuer's JWKS (RS256 or
 * ES256, fetched once, cached, refetched on an unknown kid), `iss`, `aud` (this
 * resource), `exp`, `nbf`, then required scopes. A verified token is cached by
 * sha256(token) until its `exp`, so steady traffic costs a hash, not a signature check.
 */
export class JwtVerifier {
  private jwks: { url: string; set: ReturnType<typeof createRemoteJWKSet> } | undefined;
  private readonly cache = new LRUCache<string, CachedToken>({ max: 10_000 });
  private readonly tenantIndex = new WeakMap<SnapshotPayload, Map<string, string>>();

  async verify(token: string, settings: JwtSettings, payload: SnapshotPayload): Promise<JwtVerification> {
    if (!settings.jwks_url) return { ok: false, code: "INVALID" };
    const cacheKey = `${settings.issuer}\u0000${settings.audience}\u0000${oneShotHash("sha256", token, "base64")}`;
    let claims = this.cache.get(cacheKey);
    if (claims && claims.expMs <= Date.now()) {
      this.cache.delete(cacheKey);
      claims = undefined;
    }
    if (!claims) {
      const verified = await this.checkSignature(token, settings);
      if (!verified.ok) return verified;
      claims = verified.claims;
      this.cache.set(cacheKey, claims);
    }
    const tenantId = this.tenantOf(payload, claims.tenantClaim);
    if (!tenantId) return { ok: false, code: "NOT_FOUND" };
    const missing = settings.required_scopes.filter((s) => !claims.scopes.includes(s));
    if (missing.length > 0) return { ok: false, code: "INSUFFICIENT_SCOPE", requiredScopes: settings.required_scopes };
    return { ok: true, tenantId, keyId: `jwt:${claims.subject}`, roles: claims.roles, scopes: claims.scopes };
  }

  private async checkSignature(
    token: string,
    settings: JwtSettings,
  ): Promise<{ ok: true; claims: CachedToken } | { ok: false; code: "EXPIRED" | "INVALID" }> {
    const url = settings.jwks_url as string;
    if (this.jwks?.url !== url) {
      this.jwks = {
        url,
        set: createRemoteJWKSet(new URL(url), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000 }),
      };
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks.set, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: Array.isArray(settings.algorithm) ? settings.algorithm : [settings.algorithm],
        clockTolerance: settings.clock_tolerance_seconds,
        requiredClaims: ["exp", "sub"],
      }));
    } catch (error) {
      return { ok: false, code: error instanceof errors.JWTExpired ? "EXPIRED" : "INVALID" };
    }
    const tenantClaim = payload[settings.tenant_claim];
    if (typeof tenantClaim !== "string" || typeof payload.sub !== "string" || typeof payload.exp !== "number") {
      return { ok: false, code: "INVALID" };
    }
    return {
      ok: true,
      claims: {
        tenantClaim,
        subject: payload.sub,
        roles: stringList(payload.roles),
        scopes: typeof payload.scope === "string" ? payload.scope.split(" ").filter(Boolean) : stringList(payload.scp),
        expMs: payload.exp * 1000,
      },
    };
  }

  /** The tenant a claim names, by id or slug, in the configuration in force. */
  private tenantOf(payload: SnapshotPayload, claim: string): string | undefined {
    let index = this.tenantIndex.get(payload);
    if (!index) {
      index = new Map();
      for (const t of payload.tenants) {
        index.set(t.id, t.id);
        index.set(t.slug, t.id);
      }
      this.tenantIndex.set(payload, index);
    }
    return index.get(claim);
  }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
