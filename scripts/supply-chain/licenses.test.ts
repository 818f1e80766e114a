import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ESM script without type declarations
import { checkLicenses, classifyLicense, licenseExpressionOf, parseSpdx } from "./licenses.mjs";

type Row = { name: string; version: string; license: string | null; status: string; reason?: string };

describe("licence checker", () => {
  it("flags a GPL package and fails the check without an exception", () => {
    const { rows, failures } = checkLicenses([
      { name: "copyleft-lib", version: "1.0.0", license: "GPL-3.0-only" },
      { name: "fine-lib", version: "2.0.0", license: "MIT" },
    ]) as { rows: Row[]; failures: Row[] };
    expect(failures.map((row) => row.name)).toEqual(["copyleft-lib"]);
    expect(failures[0]?.reason).toContain("GPL-3.0-only");
    expect(rows.find((row) => row.name === "fine-lib")?.status).toBe("allowed");
  });

  it("judges SPDX expressions: OR needs one allowed side, AND needs both", () => {
    expect(classifyLicense("(MIT OR GPL-3.0-or-later)").status).toBe("allowed");
    expect(classifyLicense("(GPL-2.0-only AND MIT)")).toMatchObject({
      status: "review",
      reason: expect.stringContaining("GPL-2.0-only"),
    });
    expect(classifyLicense("MIT AND (BSD-3-Clause OR AGPL-3.0-only)").status).toBe("allowed");
    expect(classifyLicense("AGPL-3.0-only OR SSPL-1.0").status).toBe("review");
    expect(classifyLicense("Apache-2.0 WITH LLVM-exception").status).toBe("allowed");
    expect(classifyLicense("LGPL-3.0-or-later").status).toBe("review");
  });

  it("sends missing, file-based and malformed licences to review", () => {
    expect(classifyLicense(null).status).toBe("review");
    expect(classifyLicense("SEE LICENSE IN LICENSE.md").status).toBe("review");
    expect(classifyLicense("(MIT OR").status).toBe("review");
    expect(classifyLicense("UNLICENSED").status).toBe("review");
    expect(() => parseSpdx("MIT AND")).toThrow();
  });

  it("accepts a flagged package only with a justified exception for that name (and version)", () => {
    const gpl = { name: "copyleft-lib", version: "1.0.0", license: "GPL-3.0-only" };
    const justified = checkLicenses([gpl], [{ package: "copyleft-lib", justification: "separate process, reviewed" }]);
    expect(justified.failures).toEqual([]);
    expect(justified.rows[0]).toMatchObject({ status: "exception" });
    expect(checkLicenses([gpl], [{ package: "copyleft-lib", justification: " " }]).failures).toHaveLength(1);
    expect(
      checkLicenses([gpl], [{ package: "copyleft-lib", version: "0.9.0", justification: "old" }]).failures,
    ).toHaveLength(1);
  });

  it("reads the license field in its old shapes", () => {
    expect(licenseExpressionOf({ license: "ISC" })).toBe("ISC");
    expect(licenseExpressionOf({ license: { type: "MIT" } })).toBe("MIT");
    expect(licenseExpressionOf({ licenses: [{ type: "MIT" }, { type: "Apache-2.0" }] })).toBe("(MIT OR Apache-2.0)");
    expect(licenseExpressionOf({})).toBeNull();
  });
});
