import { describe, expect, it } from "vitest";
import { detectEra, PROTOCOL_VERSION_META_KEY } from "./era.ts";

const modernCall = (name: string) => ({
  method: "tools/call",
  params: { name, _meta: { [PROTOCOL_VERSION_META_KEY]: "2026-07-28" } },
});
const okHeaders = { protocolVersion: "2026-07-28", method: "tools/call", name: "a__echo" };

describe("detectEra", () => {
  it("treats a body without a modern _meta claim as the session era", () => {
    expect(detectEra({}, { method: "tools/list", params: undefined })).toEqual({ era: "legacy" });
    expect(detectEra({ protocolVersion: "2025-06-18" }, { method: "initialize", params: {} })).toEqual({
      era: "legacy",
    });
  });

  it("accepts a modern request whose headers agree with its body", () => {
    expect(detectEra(okHeaders, modernCall("a__echo"))).toEqual({ era: "modern", version: "2026-07-28" });
    // Non-ASCII names travel base64-encoded in Mcp-Name.
    const encoded = `=?base64?${Buffer.from("a__é").toString("base64")}?=`;
    expect(detectEra({ ...okHeaders, name: encoded }, modernCall("a__é"))).toMatchObject({ era: "modern" });
  });

  it("refuses with HEADER_MISMATCH (HTTP 400) each header that is missing or disagrees", () => {
    const cases = [
      { ...okHeaders, protocolVersion: undefined },
      { ...okHeaders, protocolVersion: "2025-11-25" },
      { ...okHeaders, method: undefined },
      { ...okHeaders, method: "tools/list" },
      { ...okHeaders, name: undefined },
      { ...okHeaders, name: "b__echo" },
    ];
    for (const headers of cases) {
      expect(detectEra(headers, modernCall("a__echo")), JSON.stringify(headers)).toMatchObject({
        era: "rejected",
        failure: { code: "HEADER_MISMATCH" },
      });
    }
  });

  it("refuses a modern header without the _meta envelope, and initialize sent with a modern header", () => {
    expect(detectEra({ protocolVersion: "2026-07-28" }, { method: "tools/list", params: {} })).toMatchObject({
      era: "rejected",
      failure: { code: "INVALID_PARAMS_HTTP" },
    });
    expect(detectEra({ protocolVersion: "2026-07-28" }, { method: "initialize", params: {} })).toMatchObject({
      failure: { code: "HEADER_MISMATCH" },
    });
  });
});
