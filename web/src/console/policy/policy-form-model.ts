/**
 * The policy screen's structured form as a pure model: a policy document (the JSON the
 * editor holds) ↔ the form's fields. The form edits the common parts — tool allow/deny
 * globs, read-only, visibility, CASL rules — and keeps every other field of the document
 * as it is (argument constraints, cache, rate limits, appliesTo: edited in JSON). What the
 * form produces is validated, like the JSON editor's text, by the data plane's policy schema.
 */

export type RuleEffect = "allow" | "deny";
export type RuleRow = {
  effect: RuleEffect;
  /** call (Tool), read (Resource), get (Prompt), manage (all of them). */
  action: string;
  /** Tool, Resource, Prompt or all. */
  subject: string;
  /** MongoDB-style conditions as JSON text, e.g. {"server":"files"}; blank for none. */
  conditions: string;
  reason: string;
};

export type PolicyForm = {
  /** Glob lists, one pattern per line. */
  allow: string;
  deny: string;
  readOnly: boolean;
  show: string;
  hide: string;
  rules: RuleRow[];
};

export const RULE_ACTIONS = ["call", "read", "get", "manage"] as const;
export const RULE_SUBJECTS = ["Tool", "Resource", "Prompt", "all"] as const;

export function emptyRule(): RuleRow {
  return { effect: "allow", action: "call", subject: "Tool", conditions: "", reason: "" };
}

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function lines(value: unknown): string {
  return Array.isArray(value) ? value.filter((item) => typeof item === "string").join("\n") : "";
}

function first(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(", ");
  return typeof value === "string" ? value : "";
}

/** The form's fields for a document (any JSON object; unknown parts are left to the JSON editor). */
export function formFromDocument(document: unknown): PolicyForm {
  const doc = record(document);
  const tools = record(doc.tools);
  const visibility = record(doc.visibility);
  const rules = Array.isArray(doc.rules) ? doc.rules.map(record) : [];
  return {
    allow: lines(tools.allow),
    deny: lines(tools.deny),
    readOnly: doc.readOnly === true,
    show: lines(visibility.show),
    hide: lines(visibility.hide),
    rules: rules.map((rule) => ({
      effect: rule.inverted === true ? "deny" : "allow",
      action: first(rule.action),
      subject: first(rule.subject),
      conditions: rule.conditions === undefined ? "" : JSON.stringify(rule.conditions),
      reason: typeof rule.reason === "string" ? rule.reason : "",
    })),
  };
}

function globs(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** "call, read" → ["call", "read"]; one value stays a string (the schema takes both). */
function oneOrMany(text: string): string | string[] {
  const parts = text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  return parts.length === 1 ? (parts[0] as string) : parts;
}

/**
 * The document for the form's fields, on top of `base` (the document being edited, whose
 * other fields are kept). Empty sections are left out, so `{}` stays `{}`. A rule whose
 * conditions are not a JSON object is an error naming the rule.
 */
export function documentFromForm(
  form: PolicyForm,
  base: unknown,
): { ok: true; document: Json } | { ok: false; error: string } {
  const { tools: _tools, visibility: _visibility, rules: _rules, readOnly: _readOnly, ...rest } = record(base);
  const document: Json = { ...rest };
  const [allow, deny] = [globs(form.allow), globs(form.deny)];
  if (allow.length > 0 || deny.length > 0) document.tools = { allow, deny };
  const [show, hide] = [globs(form.show), globs(form.hide)];
  if (show.length > 0 || hide.length > 0) document.visibility = { show, hide };
  if (form.readOnly) document.readOnly = true;
  const rules: Json[] = [];
  for (const [index, row] of form.rules.entries()) {
    const rule: Json = { action: oneOrMany(row.action), subject: oneOrMany(row.subject) };
    if (row.conditions.trim()) {
      let conditions: unknown;
      try {
        conditions = JSON.parse(row.conditions);
      } catch {
        return { ok: false, error: `Rule ${index + 1}: conditions are not JSON.` };
      }
      if (typeof conditions !== "object" || conditions === null || Array.isArray(conditions))
        return { ok: false, error: `Rule ${index + 1}: conditions must be a JSON object.` };
      rule.conditions = conditions;
    }
    if (row.effect === "deny") rule.inverted = true;
    if (row.reason.trim()) rule.reason = row.reason.trim();
    rules.push(rule);
  }
  if (rules.length > 0) document.rules = rules;
  return { ok: true, document };
}
