import { describe, expect, it } from "vitest";
import { parseConfigText } from "./file-config.ts";

const HASH = "$2b$04$abcdefghijklmnopqrstuuKZJ3n0G6S1v2Q3Vh8d3WcE6d7y0mF9a";

const valid = `schema: snapshot.v1
version: 2
issuedAt: "2026-01-01T00:00:00Z"
tenants:
  - id: ten_a
    slug: a
    name: A
    apiKeys:
      - id: key_a
        prefix: abcdefghijkl
        hash: "${HASH}"
    upstreams:
      - id: u1
        name: everything
        transport: stdio
        command: node
`;

describe("parseConfigText", () => {
  it("loads a valid file into the same representation as a snapshot", () => {
    const result = parseConfigText(valid);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({ source: "file", version: 2, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(result.config.keyIndex.candidates("abcdefghijkl")).toEqual([
      { tenantId: "ten_a", keyId: "key_a", hash: HASH, expiresAtMs: null, roles: [] },
    ]);
    expect(result.config.payload.tenants[0]?.upstreams[0]).toMatchObject({ args: [], env: {} });
  });

  it("names the field path and line of a schema error", () => {
    const result = parseConfigText(valid.replace("transport: stdio", "transport: carrier-pigeon"), "cfg.yaml");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain("cfg.yaml");
    expect(result.message).toContain("tenants.0.upstreams.0.transport (line 15)");
  });

  it("points a missing field at its parent's line", () => {
    const result = parseConfigText(valid.replace("        command: node\n", ""));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(/tenants\.0\.upstreams\.0\.command \(line 13\)/);
  });

  it("reports YAML syntax errors", () => {
    const result = parseConfigText("schema: [unclosed");
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining("YAML error") });
  });
});
