import type { ApiKeyVerifier, KeyVerification } from "../keys/verifier.ts";
import type { JwtSettings } from "../security/security-schema.ts";
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

  verify(token: string, clientAddress?: string): KeyVerification | Promise<KeyVerification> {
    const config = this.current();
    const jwtSettings = config?.payload.security?.auth?.jwt;
    if (!jwtSettings || !config || !looksLikeJwt(token)) return this.apiKeys.verify(token, clientAddress);
    return this.verifyJwt(token, jwtSettings, config.payload);
  }

  private async verifyJwt(token: string, settings: JwtSettings, payload: SnapshotPayload): Promise<KeyVerification> {
    const verdict = await this.jwt.verify(token, settings, payload);
    if (!verdict.ok) return verdict;
    return { ok: true, tenantId: verdict.tenantId, keyId: verdict.keyId, roles: verdict.roles, viaJwt: true };
  }
}
