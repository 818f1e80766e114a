import { describe, expect, it } from "vitest";
import { disambiguate, exposedName, fitName, MAX_NAME_LENGTH } from "./naming.ts";

describe("tool naming", () => {
  it("prefixes with the upstream name by default, or the configured prefix and separator, or nothing", () => {
    expect(exposedName({ name: "github" }, "search")).toBe("github__search");
    expect(exposedName({ name: "github", prefix: "gh", separator: "." }, "search")).toBe("gh.search");
    expect(exposedName({ name: "github", prefix: "" }, "search")).toBe("search");
  });

  it("keeps names within 64 characters with a deterministic hash, and disambiguates clashes", () => {
    const long = `${"x".repeat(70)}`;
    const fitted = fitName(long);
    expect(fitted).toHaveLength(MAX_NAME_LENGTH);
    expect(fitName(long)).toBe(fitted);
    expect(fitName(`${long}y`)).not.toBe(fitted);
    expect(disambiguate("search", "ups_2")).toMatch(/^search_[0-9a-f]{8}$/);
    expect(disambiguate("search", "ups_2")).not.toBe(disambiguate("search", "ups_3"));
  });
});
