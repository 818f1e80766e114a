import { describe, expect, it } from "vitest";
import { parseSecurityDocument } from "./security-document.ts";

// The seed's recommended configuration (shared/seed/SECURITY.md), pasted as written.
const SEED = `security:
  tls:
    enabled: true
    min_version: "1.3"
    cipher_suites:
      - TLS_AES_256_GCM_SHA384
      - TLS_CHACHA20_POLY1305_SHA256

  auth:
    required: true
    jwt:
      algorithm: RS256
      issuer: "only1mcp"
      audience: "mcp-proxy"

  rate_limiting:
    enabled: true
    global_limit: 10000
    per_client_limit: 1000

  sandbox:
    enabled: true
    max_memory_mb: 512
    max_cpu_percent: 50

observability:
  audit:
    enabled: true
    events:
      - authentication
      - authorization
      - configuration_change
      - server_access
      - admin_actions
    retention: 365d
`;

describe("the console's security editor", () => {
  it("takes the seed's block as written and keeps every value", () => {
    const parsed = parseSecurityDocument(SEED);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.body.security.rate_limiting).toMatchObject({ global_limit: 10000, per_client_limit: 1000 });
    expect(parsed.body.security.auth?.jwt).toMatchObject({ algorithm: "RS256", issuer: "only1mcp" });
    expect(parsed.body.security.sandbox).toMatchObject({ max_memory_mb: 512, max_cpu_percent: 50 });
    expect(parsed.body.observability?.audit?.retention).toBe("365d");
  });

  it("takes the same document as JSON", () => {
    const parsed = parseSecurityDocument(JSON.stringify({ security: { rate_limiting: { per_client_limit: 3 } } }));
    expect(parsed).toMatchObject({ ok: true, body: { security: { rate_limiting: { per_client_limit: 3 } } } });
  });

  it("names the path of a misspelt or wrong value", () => {
    const typo = parseSecurityDocument("security:\n  rate_limiting:\n    per_client_limt: 5\n");
    expect(typo).toMatchObject({ ok: false });
    if (!typo.ok) expect(typo.error).toMatch(/security\.rate_limiting: Unrecognized key/);
    const negative = parseSecurityDocument("security:\n  rate_limiting:\n    global_limit: -1\n");
    if (negative.ok) throw new Error("accepted a negative limit");
    expect(negative.error).toMatch(/security\.rate_limiting\.global_limit/);
    expect(parseSecurityDocument("security: [unclosed")).toMatchObject({ ok: false });
  });
});
