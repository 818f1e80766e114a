import { describe, expect, it } from "vitest";
import { auditSearchParams } from "./audit-search.ts";

describe("auditSearchParams", () => {
  it("drops blank fields and sends times as ISO instants", () => {
    const params = auditSearchParams({ source: "data-plane", tenantId: " ten_1 ", tool: "", from: "2026-01-02T03:04" });
    expect(params.get("source")).toBe("data-plane");
    expect(params.get("tenantId")).toBe("ten_1");
    expect(params.has("tool")).toBe(false);
    expect(params.get("from")).toBe(new Date("2026-01-02T03:04").toISOString());
  });

  it("drops filters the chosen source cannot apply", () => {
    const admin = auditSearchParams({ source: "admin", keyId: "key_1", tool: "t", action: "tenant.created" });
    expect([...admin.keys()].sort()).toEqual(["action", "source"]);
    const calls = auditSearchParams({ source: "data-plane", keyId: "key_1", action: "tenant.created" });
    expect([...calls.keys()].sort()).toEqual(["keyId", "source"]);
  });

  it("ignores an unparsable time instead of sending it", () => {
    expect(auditSearchParams({ source: "admin", to: "not a date" }).has("to")).toBe(false);
  });
});
