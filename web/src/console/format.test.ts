import { describe, expect, it } from "vitest";
import { displayKeyPrefix, formatDateTime, keyStatus, shortHash } from "./format.ts";

describe("console formatting", () => {
  it("formats timestamps in UTC and shows a dash for none", () => {
    expect(formatDateTime(new Date("2026-11-27T10:05:00Z"))).toBe("27 Nov 2026, 10:05 UTC");
    expect(formatDateTime(null)).toBe("—");
  });

  it("shortens hashes and shows key prefixes only", () => {
    expect(shortHash("a".repeat(64))).toBe(`${"a".repeat(12)}…`);
    expect(shortHash(null)).toBe("—");
    expect(displayKeyPrefix("abcd1234wxyz")).toBe("o1k_abcd1234wxyz_…");
  });

  it("derives key status: revoked wins over expired", () => {
    const now = new Date("2026-01-02T00:00:00Z");
    const past = new Date("2026-01-01T00:00:00Z");
    expect(keyStatus({ expiresAt: null, revokedAt: null }, now)).toBe("active");
    expect(keyStatus({ expiresAt: past, revokedAt: null }, now)).toBe("expired");
    expect(keyStatus({ expiresAt: past, revokedAt: past }, now)).toBe("revoked");
  });
});
