"use client";

import { useState } from "react";
import { Button, Callout, Field, Input, Select, Textarea } from "../ui.tsx";
import {
  documentFromForm,
  emptyRule,
  formFromDocument,
  type PolicyForm,
  RULE_ACTIONS,
  RULE_SUBJECTS,
  type RuleRow,
} from "./policy-form-model.ts";

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * The structured policy form. It edits the same JSON text as the JSON editor (the one source
 * of truth, validated by the shared schema in the parent); fields it does not show are kept.
 * `onChange(text, error)`: the new text, or the form's own error (e.g. conditions not JSON).
 */
export function PolicyFormEditor({
  text,
  onChange,
  disabled,
}: {
  text: string;
  onChange: (text: string, error: string | null) => void;
  disabled: boolean;
}) {
  const base = parseObject(text);
  const [form, setForm] = useState<PolicyForm>(() => formFromDocument(base ?? {}));
  if (base === null)
    return (
      <Callout tone="warning" title="The JSON does not parse">
        Fix it in the JSON editor to edit it here.
      </Callout>
    );

  function update(next: PolicyForm) {
    setForm(next);
    const built = documentFromForm(next, base);
    if (built.ok) onChange(JSON.stringify(built.document, null, 2), null);
    else onChange(text, built.error);
  }
  const setRule = (index: number, patch: Partial<RuleRow>) =>
    update({ ...form, rules: form.rules.map((rule, at) => (at === index ? { ...rule, ...patch } : rule)) });
  const otherFields = Object.keys(base).filter((key) => !["tools", "visibility", "rules", "readOnly"].includes(key));

  return (
    <div className="space-y-5" data-testid="policy-form">
      <fieldset className="grid gap-4 sm:grid-cols-2" disabled={disabled}>
        <legend className="mb-2 text-sm font-semibold">Tools by name</legend>
        <Field label="Allow (one glob per line)" htmlFor="pf-allow" hint="With any allow pattern, only matches pass.">
          <Textarea
            id="pf-allow"
            rows={3}
            spellCheck={false}
            value={form.allow}
            onChange={(e) => update({ ...form, allow: e.target.value })}
          />
        </Field>
        <Field label="Deny (one glob per line)" htmlFor="pf-deny" hint="A deny match always refuses.">
          <Textarea
            id="pf-deny"
            rows={3}
            spellCheck={false}
            value={form.deny}
            onChange={(e) => update({ ...form, deny: e.target.value })}
          />
        </Field>
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-2" disabled={disabled}>
        <legend className="mb-2 text-sm font-semibold">Visibility</legend>
        <Field label="Show only (one glob per line)" htmlFor="pf-show">
          <Textarea
            id="pf-show"
            rows={2}
            spellCheck={false}
            value={form.show}
            onChange={(e) => update({ ...form, show: e.target.value })}
          />
        </Field>
        <Field label="Hide (one glob per line)" htmlFor="pf-hide" hint="Hidden tools are not callable either.">
          <Textarea
            id="pf-hide"
            rows={2}
            spellCheck={false}
            value={form.hide}
            onChange={(e) => update({ ...form, hide: e.target.value })}
          />
        </Field>
      </fieldset>

      <label className="flex items-center gap-2 text-sm">
        <input
          id="pf-read-only"
          type="checkbox"
          className="size-4 rounded border-slate-300 accent-indigo-600 dark:border-slate-700"
          checked={form.readOnly}
          disabled={disabled}
          onChange={(e) => update({ ...form, readOnly: e.target.checked })}
        />
        <span>
          <span className="font-medium">Read-only</span>{" "}
          <span className="text-slate-600 dark:text-slate-400">— only tools annotated readOnlyHint pass</span>
        </span>
      </label>

      <fieldset className="space-y-3" disabled={disabled}>
        <legend className="mb-2 text-sm font-semibold">Rules</legend>
        {form.rules.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            No rules: the name lists above decide. With any rule, only what the rules allow passes.
          </p>
        ) : null}
        {form.rules.map((rule, index) => (
          <div
            // biome-ignore lint/suspicious/noArrayIndexKey: rules are ordered rows without ids
            key={index}
            data-testid={`policy-rule-${index}`}
            className="grid items-end gap-3 rounded-lg border border-slate-200 p-3 sm:grid-cols-[7rem_7rem_7rem_1fr_1fr_auto] dark:border-slate-800"
          >
            <Field label="Effect" htmlFor={`pf-rule-${index}-effect`}>
              <Select
                id={`pf-rule-${index}-effect`}
                value={rule.effect}
                onChange={(e) => setRule(index, { effect: e.target.value === "deny" ? "deny" : "allow" })}
              >
                <option value="allow">allow</option>
                <option value="deny">deny</option>
              </Select>
            </Field>
            <Field label="Action" htmlFor={`pf-rule-${index}-action`}>
              <Select
                id={`pf-rule-${index}-action`}
                value={rule.action}
                onChange={(e) => setRule(index, { action: e.target.value })}
              >
                {[...new Set([...RULE_ACTIONS, rule.action])].map((action) => (
                  <option key={action} value={action}>
                    {action}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Subject" htmlFor={`pf-rule-${index}-subject`}>
              <Select
                id={`pf-rule-${index}-subject`}
                value={rule.subject}
                onChange={(e) => setRule(index, { subject: e.target.value })}
              >
                {[...new Set([...RULE_SUBJECTS, rule.subject])].map((subject) => (
                  <option key={subject} value={subject}>
                    {subject}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Conditions (JSON)" htmlFor={`pf-rule-${index}-conditions`}>
              <Input
                id={`pf-rule-${index}-conditions`}
                spellCheck={false}
                placeholder='{"server":"files"}'
                value={rule.conditions}
                onChange={(e) => setRule(index, { conditions: e.target.value })}
              />
            </Field>
            <Field label="Reason" htmlFor={`pf-rule-${index}-reason`}>
              <Input
                id={`pf-rule-${index}-reason`}
                maxLength={512}
                value={rule.reason}
                onChange={(e) => setRule(index, { reason: e.target.value })}
              />
            </Field>
            <Button
              variant="ghost"
              size="sm"
              aria-label={`Remove rule ${index + 1}`}
              onClick={() => update({ ...form, rules: form.rules.filter((_, at) => at !== index) })}
            >
              Remove
            </Button>
          </div>
        ))}
        <Button size="sm" onClick={() => update({ ...form, rules: [...form.rules, emptyRule()] })}>
          Add rule
        </Button>
      </fieldset>

      {otherFields.length > 0 ? (
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Kept as they are (edit them in JSON): {otherFields.join(", ")}.
        </p>
      ) : null}
    </div>
  );
}
