import { policyDocumentSchema } from "@only1mcp/data-plane/policy";
import { describe, expect, it } from "vitest";
import { validatePolicyText } from "../screens/policies-screen.tsx";
import { documentFromForm, emptyRule, formFromDocument } from "./policy-form-model.ts";

const full = {
  tools: { allow: ["files__*"], deny: ["files__delete*", "*__printEnv"] },
  readOnly: true,
  visibility: { show: [], hide: ["debug__*"] },
  rules: [
    { action: "call", subject: "Tool", conditions: { server: "files" } },
    { action: ["call", "read"], subject: "all", inverted: true, reason: "no writes on Fridays" },
  ],
  argumentConstraints: [{ tool: "files__read", schema: { type: "object" } }],
  rateLimits: { perKey: { requests: 10, windowSeconds: 60 } },
};

describe("policy form ↔ document", () => {
  it("shows a document's tools, visibility, read-only and rules as fields", () => {
    const form = formFromDocument(full);
    expect(form.allow).toBe("files__*");
    expect(form.deny).toBe("files__delete*\n*__printEnv");
    expect(form.readOnly).toBe(true);
    expect([form.show, form.hide]).toEqual(["", "debug__*"]);
    expect(form.rules).toEqual([
      { effect: "allow", action: "call", subject: "Tool", conditions: '{"server":"files"}', reason: "" },
      { effect: "deny", action: "call, read", subject: "all", conditions: "", reason: "no writes on Fridays" },
    ]);
  });

  it("round-trips a document unchanged, keeping the fields the form does not edit", () => {
    const built = documentFromForm(formFromDocument(full), full);
    expect(built).toEqual({ ok: true, document: full });
    expect(policyDocumentSchema.safeParse(built.ok ? built.document : null).success).toBe(true);
  });

  it("builds a valid document from a blank form plus edits, leaving empty sections out", () => {
    expect(documentFromForm(formFromDocument({}), {})).toEqual({ ok: true, document: {} });
    const form = { ...formFromDocument({}), deny: "  everything__printEnv \n\n", rules: [emptyRule()] };
    const built = documentFromForm(form, {});
    expect(built).toEqual({
      ok: true,
      document: { tools: { allow: [], deny: ["everything__printEnv"] }, rules: [{ action: "call", subject: "Tool" }] },
    });
    expect(validatePolicyText(JSON.stringify(built.ok ? built.document : null)).ok).toBe(true);
  });

  it("names the rule whose conditions are not a JSON object", () => {
    const form = { ...formFromDocument({}), rules: [emptyRule(), { ...emptyRule(), conditions: "{ nope" }] };
    expect(documentFromForm(form, {})).toEqual({ ok: false, error: "Rule 2: conditions are not JSON." });
    form.rules[1] = { ...emptyRule(), conditions: "[1]" };
    expect(documentFromForm(form, {})).toEqual({ ok: false, error: "Rule 2: conditions must be a JSON object." });
  });

  it("lets the shared schema refuse what the form cannot (e.g. an empty action), with the field named", () => {
    const form = { ...formFromDocument({}), rules: [{ ...emptyRule(), action: " " }] };
    const built = documentFromForm(form, {});
    expect(built.ok).toBe(true);
    const checked = validatePolicyText(JSON.stringify(built.ok ? built.document : null));
    expect(checked.ok).toBe(false);
    expect(checked.ok ? "" : checked.error).toContain("rules.0.action");
  });
});
