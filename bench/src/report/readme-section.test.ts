import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { updateReadmeSection } from "./readme-section.ts";

const dir = mkdtempSync(path.join(tmpdir(), "bench-readme-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("README performance section", () => {
  it("replaces only the text between the markers", () => {
    const file = path.join(dir, "README.md");
    writeFileSync(file, "# T\n\n## Performance\n<!-- bench:start -->\nold\n<!-- bench:end -->\n\n## Next\n");
    expect(updateReadmeSection(file, "| a | b |\n")).toBe(true);
    expect(readFileSync(file, "utf8")).toBe(
      "# T\n\n## Performance\n<!-- bench:start -->\n\n| a | b |\n\n<!-- bench:end -->\n\n## Next\n",
    );
  });

  it("changes nothing without markers", () => {
    const file = path.join(dir, "plain.md");
    writeFileSync(file, "# T\n");
    expect(updateReadmeSection(file, "x")).toBe(false);
    expect(readFileSync(file, "utf8")).toBe("# T\n");
  });
});
