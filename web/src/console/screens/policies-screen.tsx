"use client";

import { policyDocumentSchema } from "@only1mcp/data-plane/policy";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { api } from "../api-client.ts";
import { formatDateTime } from "../format.ts";
import { PolicyFormEditor } from "../policy/policy-form.tsx";
import { useCan } from "../providers.tsx";
import { Badge, Button, Card, cell, Empty, ErrorState, Field, Input, Loading, Table, Textarea } from "../ui.tsx";

type PolicyRow = {
  id: string;
  name: string;
  rules: unknown;
  updatedAt: string;
  state: "published" | "changed" | "unpublished";
};
type DiffLine = { op: "same" | "add" | "remove"; text: string };
type Diff = { changed: boolean; publishedVersion: number | null; lines: DiffLine[] };
type CallerChange = { keyId: string | null; tool: string | null; calls: number };
type DryRun = {
  days: number;
  from: string;
  to: string;
  examined: number;
  newlyDenied: CallerChange[];
  newlyAllowed: CallerChange[];
};

const STATE_TONE = { published: "green", changed: "amber", unpublished: "indigo" } as const;
/** A new policy starts as a valid, empty-handed document: nothing allowed or denied by name yet. */
const EXAMPLE = JSON.stringify({ tools: { allow: [], deny: [] } }, null, 2);

/** Parses the editor's text and validates it with the data plane's own policy schema. */
export function validatePolicyText(
  text: string,
): { ok: true; rules: Record<string, unknown> } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = policyDocumentSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      error: parsed.error.issues.map((issue) => `${issue.path.join(".") || "(document)"}: ${issue.message}`).join("; "),
    };
  }
  return { ok: true, rules: parsed.data as Record<string, unknown> };
}

export function PoliciesScreen({ tenantId }: { tenantId: string }) {
  const base = `/tenants/${tenantId}/policies`;
  const policies = useQuery({
    queryKey: ["policies", tenantId],
    queryFn: () => api<{ items: PolicyRow[]; publishedVersion: number | null; removed: string[] }>(base),
  });
  const canCreate = useCan("policy:create", tenantId);
  const [editing, setEditing] = useState<PolicyRow | "new" | null>(null);
  return (
    <div className="space-y-6">
      <Card
        title="Policies"
        description="Validated by the data plane's policy schema; enforced once published."
        actions={
          canCreate ? (
            <Button variant="primary" size="sm" onClick={() => setEditing("new")}>
              New policy
            </Button>
          ) : null
        }
      >
        {policies.isPending ? (
          <Loading />
        ) : policies.isError ? (
          <ErrorState error={policies.error} />
        ) : policies.data.items.length === 0 ? (
          <Empty>No policies yet: every tool of the tenant's upstreams is allowed.</Empty>
        ) : (
          <Table label="Policies" head={["Name", "State", "Updated", ""]}>
            {policies.data.items.map((policy) => (
              <tr key={policy.id}>
                <td className={`${cell} font-medium`}>{policy.name}</td>
                <td className={cell}>
                  <Badge tone={STATE_TONE[policy.state]}>{policy.state}</Badge>
                </td>
                <td className={cell}>{formatDateTime(policy.updatedAt)}</td>
                <td className={`${cell} text-right`}>
                  <Button size="sm" onClick={() => setEditing(policy)}>
                    Open
                  </Button>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      {editing ? (
        <PolicyEditor
          key={editing === "new" ? "new" : editing.id}
          tenantId={tenantId}
          policy={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </div>
  );
}

function PolicyEditor({
  tenantId,
  policy,
  onClose,
}: {
  tenantId: string;
  policy: PolicyRow | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const base = `/tenants/${tenantId}/policies`;
  const canSave = useCan(policy ? "policy:update" : "policy:create", tenantId);
  const [name, setName] = useState(policy?.name ?? "");
  const [text, setText] = useState(policy ? JSON.stringify(policy.rules, null, 2) : EXAMPLE);
  const [serverError, setServerError] = useState<string | null>(null);
  // Two views of the one JSON text: the structured form and the JSON editor.
  const [mode, setMode] = useState<"form" | "json">("form");
  const [formError, setFormError] = useState<string | null>(null);
  const parsed = useMemo(() => validatePolicyText(text), [text]);
  const validation = formError && mode === "form" ? ({ ok: false, error: formError } as const) : parsed;
  const diff = useMutation({
    mutationFn: (rules: unknown) => api<Diff>(`${base}/${policy?.id}/diff`, { method: "POST", body: { rules } }),
  });
  const canDryRun = useCan("audit:read", tenantId);
  const dryRun = useMutation({
    mutationFn: (rules: unknown) =>
      api<DryRun>(`${base}/dry-run`, {
        method: "POST",
        body: { days: 7, rules, ...(policy ? { policyId: policy.id } : {}) },
      }),
  });
  const save = useMutation({
    mutationFn: (body: { name: string; rules: unknown }) =>
      policy ? api(`${base}/${policy.id}`, { method: "PATCH", body }) : api(base, { method: "POST", body }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["policies", tenantId] });
      await queryClient.invalidateQueries({ queryKey: ["publish-state"] });
      onClose();
    },
    onError: (failure) => setServerError(failure.message),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setServerError(null);
    if (validation.ok) save.mutate({ name, rules: validation.rules });
  }

  return (
    <Card
      title={policy ? `Policy: ${policy.name}` : "New policy"}
      description="Form or JSON, checked as you type by the data plane's policy schema."
      actions={
        <fieldset aria-label="Editor" className="inline-flex rounded-md shadow-sm">
          {(["form", "json"] as const).map((view) => (
            <Button
              key={view}
              size="sm"
              variant={mode === view ? "primary" : "secondary"}
              aria-pressed={mode === view}
              className={view === "form" ? "rounded-r-none" : "-ml-px rounded-l-none"}
              onClick={() => {
                setFormError(null);
                setMode(view);
              }}
            >
              {view === "form" ? "Form" : "JSON"}
            </Button>
          ))}
        </fieldset>
      }
    >
      <form onSubmit={submit} className="space-y-4 px-5 py-4">
        <Field label="Name" htmlFor="policy-name">
          <Input
            id="policy-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={100}
            disabled={!canSave}
          />
        </Field>
        {mode === "form" ? (
          <>
            <PolicyFormEditor
              text={text}
              disabled={!canSave}
              onChange={(next, error) => {
                setFormError(error);
                setText(next);
              }}
            />
            {validation.ok ? null : (
              <p className="text-xs text-red-700 dark:text-red-300" role="alert">
                {validation.error}
              </p>
            )}
          </>
        ) : (
          <Field
            label="Rules (JSON)"
            htmlFor="policy-rules"
            error={validation.ok ? null : validation.error}
            hint="Valid for the data plane's policy schema."
          >
            <Textarea
              id="policy-rules"
              rows={12}
              spellCheck={false}
              value={text}
              aria-invalid={!validation.ok}
              onChange={(e) => setText(e.target.value)}
              disabled={!canSave}
            />
          </Field>
        )}
        {serverError ? <ErrorState error={new Error(serverError)} /> : null}
        <div className="flex flex-wrap gap-2">
          {canSave ? (
            <Button type="submit" variant="primary" disabled={!validation.ok || save.isPending}>
              Save
            </Button>
          ) : null}
          {policy ? (
            <Button
              disabled={!validation.ok || diff.isPending}
              onClick={() => validation.ok && diff.mutate(validation.rules)}
            >
              Diff against published
            </Button>
          ) : null}
          {canDryRun ? (
            <Button
              disabled={!validation.ok || dryRun.isPending}
              onClick={() => validation.ok && dryRun.mutate(validation.rules)}
            >
              Dry run (last 7 days)
            </Button>
          ) : null}
          <Button variant="ghost" onClick={onClose}>
            Close
          </Button>
        </div>
        {diff.data ? <DiffView diff={diff.data} /> : null}
        {diff.isError ? <ErrorState error={diff.error} /> : null}
        {dryRun.isIdle ? null : (
          <DryRunPanel
            state={dryRun}
            stale={validation.ok && JSON.stringify(dryRun.variables) !== JSON.stringify(validation.rules)}
          />
        )}
      </form>
    </Card>
  );
}

function DiffView({ diff }: { diff: Diff }) {
  const mark = { same: " ", add: "+", remove: "-" } as const;
  const tone = {
    same: "text-slate-700 dark:text-slate-300",
    add: "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
    remove: "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-200",
  } as const;
  return (
    <div data-testid="policy-diff" className="rounded-md border border-slate-200 dark:border-slate-800">
      <p className="border-b border-slate-200 px-3 py-2 text-xs text-slate-600 dark:border-slate-800 dark:text-slate-400">
        {diff.changed ? "Changes" : "No changes"} against snapshot{" "}
        {diff.publishedVersion === null ? "(none published)" : `v${diff.publishedVersion}`}
      </p>
      <pre className="overflow-x-auto py-2 font-mono text-xs">
        {diff.lines.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: diff lines have no identity but their position
          <div key={index} className={`px-3 ${tone[line.op]}`}>
            {mark[line.op]} {line.text}
          </div>
        ))}
      </pre>
    </div>
  );
}

/**
 * The policy dry run (`POST …/policies/dry-run`): one panel for the last run, replaying,
 * failed, or its result; marked stale once the rules have changed since.
 */
function DryRunPanel({
  state,
  stale,
}: {
  state: { isPending: boolean; isError: boolean; error: Error | null; data: DryRun | undefined };
  stale: boolean;
}) {
  return (
    <section
      aria-label="Dry run"
      aria-busy={state.isPending}
      data-testid="policy-dry-run"
      className="space-y-2 rounded-md border border-slate-200 px-3 py-2 dark:border-slate-800"
    >
      <h3 className="text-sm font-medium">Dry run: recorded calls of the last 7 days</h3>
      {state.isPending ? (
        <Loading rows={2} />
      ) : state.isError ? (
        <ErrorState error={state.error} />
      ) : state.data ? (
        <>
          {stale ? (
            <p role="status" className="text-xs text-amber-800 dark:text-amber-300">
              The rules changed since this dry run: run it again to see their effect.
            </p>
          ) : null}
          <DryRunView result={state.data} />
        </>
      ) : null}
    </section>
  );
}

function DryRunView({ result }: { result: DryRun }) {
  if (result.examined === 0) return <Empty>No calls recorded in the last {result.days} days: nothing to replay.</Empty>;
  const list = (title: string, changes: CallerChange[], testId: string) => (
    <div data-testid={testId}>
      <p className="text-xs font-medium text-slate-700 dark:text-slate-300">
        {title}: {changes.length === 0 ? "none" : `${changes.length} caller(s)`}
      </p>
      <ul className="mt-1 space-y-0.5 font-mono text-xs">
        {changes.map((change) => (
          <li key={`${change.keyId}:${change.tool}`}>
            {change.keyId ?? "(no key)"} → {change.tool ?? "(no tool)"} ({change.calls} call
            {change.calls === 1 ? "" : "s"})
          </li>
        ))}
      </ul>
    </div>
  );
  const unchanged = result.newlyDenied.length === 0 && result.newlyAllowed.length === 0;
  return (
    <div data-testid="dry-run-result" className="space-y-2">
      <p className="text-xs text-slate-600 dark:text-slate-400">
        {result.examined} recorded call(s) from {formatDateTime(result.from)} to {formatDateTime(result.to)} replayed
        with the data plane's policy engine.
      </p>
      {unchanged ? (
        <p className="text-sm text-emerald-800 dark:text-emerald-300" data-testid="dry-run-unchanged">
          No caller would be newly denied or allowed.
        </p>
      ) : (
        <>
          {list("Newly denied", result.newlyDenied, "dry-run-denied")}
          {list("Newly allowed", result.newlyAllowed, "dry-run-allowed")}
        </>
      )}
    </div>
  );
}
