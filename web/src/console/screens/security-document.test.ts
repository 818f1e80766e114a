import { describe, expect, it } from "vitest";
import { SEED_SECURITY_BLOCK as SEED } from "../../../../data-plane/src/testing/seed-security-block.ts";
import { parseSecurityDocument } from "./security-document.ts";

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
