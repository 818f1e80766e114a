import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");

describe("the product runs on the machine's Node", () => {
  it("npm scripts do not pick up the conformance CLI's Node 22 from node_modules/.bin", () => {
    expect(existsSync(path.join(root, "node_modules", ".bin", "node"))).toBe(false);
    expect(process.execPath).not.toContain("node_modules");
  });
});
