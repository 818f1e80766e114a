import type { ApiKeyVerifier, KeyVerification } from "../keys/verifier.ts";
import type { SnapshotPayload } from "../snapshots/schema.ts";
import { type JwtVerifier, looksLikeJwt } from "./jwt-verifier.ts";

/**
 * The one bearer-token check on /mcp: JWT access tokens when `security.auth.jwt`
 * is configured, API keys otherwise. Either way the caller is a tenant + key id
 * (+ roles); the token itself is never forwarded to an upstream.
 */
export class CredentialVerifier implements ApiKeyVerifier {
  constructor(
    private readonly apiKeys: ApiKeyVerifier,
    private readonly jwt: JwtVerifier,
    private readonly current: () => { payload: SnapshotPayload } | undefined,
  ) {}

  async verify(token: string, clientAddress?: string): Promise<KeyVerification> {
    const config = this.current();
    const jwtSettings = config?.payload.security?.auth?.jwt;
    if (!jwtSettings || !config || !looksLikeJwt(token)) return this.apiKeys.verify(token, clientAddress);
    const verdict = await this.jwt.verify(token, jwtSettings, config.payload);
    if (!verdict.ok) return verdict;
    return { ok: true, tenantId: verdict.tenantId, keyId: verdict.keyId, roles: verdict.roles, viaJwt: true };
  }
}
