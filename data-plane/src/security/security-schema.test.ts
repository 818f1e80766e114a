import { describe, expect, it } from "vitest";
import { parseConfigText } from "../config/file-config.ts";
import { SEED_SECURITY_BLOCK as SEED_BLOCK } from "../testing/seed-security-block.ts";

const HEAD = `schema: snapshot.v1
version: 1
issuedAt: "2026-01-01T00:00:00Z"
tenants: []
`;

describe("the seed's security block in the standalone YAML config", () => {
  it("is accepted as written and maps one-to-one", () => {
    const parsed = parseConfigText(HEAD + SEED_BLOCK);
    if (!parsed.ok) throw new Error(parsed.message);
    const { security, observability } = parsed.config.payload;
    expect(security?.tls).toMatchObject({
      enabled: true,
      min_version: "1.3",
      cipher_suites: ["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"],
    });
    expect(security?.auth?.jwt).toMatchObject({ algorithm: "RS256", issuer: "only1mcp", audience: "mcp-proxy" });
    expect(security?.rate_limiting).toMatchObject({ enabled: true, global_limit: 10000, per_client_limit: 1000 });
    expect(security?.sandbox).toMatchObject({ enabled: true, max_memory_mb: 512, max_cpu_percent: 50 });
    expect(observability?.audit?.events).toContain("admin_actions");
    expect(observability?.audit?.retention).toBe("365d");
  });

  it("refuses a misspelt setting with its path and line", () => {
    const parsed = parseConfigText(`${HEAD}security:\n  rate_limiting:\n    per_client_limt: 5\n`);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.message).toMatch(/security\.rate_limiting \(line \d+\): Unrecognized key: "per_client_limt"/);
  });
});

describe("auth.required", () => {
  it("refuses required: false without the tenant anonymous callers act in", () => {
    const parsed = parseConfigText(`${HEAD}security:\n  auth:\n    required: false\n`);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/security\.auth\.anonymous_tenant.*needs anonymous_tenant/);
  });

  it("takes required: false with an anonymous tenant, the anonymous role by default", () => {
    const parsed = parseConfigText(`${HEAD}security:\n  auth:\n    required: false\n    anonymous_tenant: public\n`);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.config.payload.security?.auth).toMatchObject({
      required: false,
      anonymous_tenant: "public",
      anonymous_roles: ["anonymous"],
    });
  });
});
