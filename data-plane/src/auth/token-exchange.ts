import { LRUCache } from "lru-cache";
import { canonicalJson, sha256Hex } from "../snapshots/canonical.ts";
import type { TokenExchangeSettings } from "../snapshots/schema.ts";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

/** Refresh this long before the exchanged token's own expiry. */
const EXPIRY_MARGIN_MS = 10_000;
/** A response without expires_in is used for this long. */
const DEFAULT_LIFETIME_MS = 60_000;

/** Why an exchange failed: safe to show (never holds a token or the client secret). */
export class TokenExchangeError extends Error {
  override readonly name = "TokenExchangeError";
}

type Exchanged = { authorization: string; expiresAt: number };

/**
 * RFC 8693 token exchange toward upstreams: the caller's access token (subject) is
 * exchanged at the configured token endpoint for one bound to the upstream's audience.
 * Results are cached by sha256(settings, subject token) until shortly before they
 * expire, and concurrent first calls share one exchange. Tokens are never logged and
 * appear in no error message.
 */
export class TokenExchanger {
  private readonly cache = new LRUCache<string, Exchanged>({ max: 10_000 });
  private readonly inflight = new Map<string, Promise<Exchanged>>();
  /** Exchanges performed (not served from the cache), for tests and metrics. */
  exchanges = 0;

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly now: () => number = Date.now,
  ) {}

  /** The Authorization header value for calling the upstream on behalf of `subjectToken`. */
  async authorizationFor(settings: TokenExchangeSettings, subjectToken: string): Promise<string> {
    const key = sha256Hex(canonicalJson({ settings, subjectToken }));
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.authorization;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.exchange(settings, subjectToken).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const exchanged = await pending;
    this.cache.set(key, exchanged, { ttl: Math.max(1, exchanged.expiresAt - this.now()) });
    return exchanged.authorization;
  }

  private async exchange(settings: TokenExchangeSettings, subjectToken: string): Promise<Exchanged> {
    const form = new URLSearchParams({
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token: subjectToken,
      subject_token_type: ACCESS_TOKEN_TYPE,
      requested_token_type: ACCESS_TOKEN_TYPE,
    });
    if (settings.audience) form.set("audience", settings.audience);
    if (settings.resource) form.set("resource", settings.resource);
    if (settings.scope) form.set("scope", settings.scope);
    const headers: Record<string, string> = {
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
    };
    const secret = settings.clientSecretEnv ? this.env[settings.clientSecretEnv] : undefined;
    if (settings.clientSecretEnv && !secret) {
      throw new TokenExchangeError(`token exchange client secret: ${settings.clientSecretEnv} is not set`);
    }
    if (secret) {
      // RFC 6749 2.3.1: both parts form-urlencoded before Basic.
      const basic = `${encodeURIComponent(settings.clientId)}:${encodeURIComponent(secret)}`;
      headers.authorization = `Basic ${Buffer.from(basic).toString("base64")}`;
    } else {
      form.set("client_id", settings.clientId);
    }
    const started = this.now();
    let response: Response;
    try {
      response = await fetch(settings.tokenEndpoint, {
        method: "POST",
        headers,
        body: form,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new TokenExchangeError(`token exchange at ${settings.tokenEndpoint} failed: ${(error as Error).message}`);
    }
    this.exchanges++;
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const code = typeof body.error === "string" ? body.error : `HTTP ${response.status}`;
      const description = typeof body.error_description === "string" ? `: ${body.error_description}` : "";
      throw new TokenExchangeError(`token exchange at ${settings.tokenEndpoint} refused (${code}${description})`);
    }
    const token = body.access_token;
    const type = typeof body.token_type === "string" ? body.token_type : "Bearer";
    if (typeof token !== "string" || token.length === 0 || !/^bearer$/i.test(type)) {
      throw new TokenExchangeError(
        `token exchange at ${settings.tokenEndpoint} answered without a bearer access_token`,
      );
    }
    const lifetime =
      typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in * 1000 : DEFAULT_LIFETIME_MS;
    return {
      authorization: `Bearer ${token}`,
      expiresAt: started + lifetime - Math.min(EXPIRY_MARGIN_MS, lifetime / 2),
    };
  }
}
