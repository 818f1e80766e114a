"use client";

import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api-client.ts";
import { AUDIT_FILTERS, type AuditFilters, type AuditSource, auditSearchParams } from "../audit/audit-search.ts";
import { formatDateTime, shortHash } from "../format.ts";
import { useCan } from "../providers.tsx";
import {
  Badge,
  Button,
  Callout,
  Card,
  cell,
  Empty,
  ErrorState,
  Field,
  Input,
  Loading,
  Mono,
  PageHeader,
  Select,
  Table,
} from "../ui.tsx";

/** One row of GET /api/v1/audit/events (control-plane AuditEventRow). */
type AuditRow = {
  id: string;
  source: AuditSource;
  time: string;
  tenantId: string | null;
  actor: string | null;
  action: string | null;
  tool: string | null;
  decision: string | null;
  code: string | null;
  latencyMs: number | null;
};
type Page = { events: AuditRow[]; nextCursor: string | null };
type ChainProblem = { kind: string; seq?: number; fromSeq?: number; toSeq?: number };
type Verification = {
  ok: boolean;
  chains: Array<{ chainKey: string; ok: boolean; checked: number; problems: ChainProblem[] }>;
};

/** The audit log: GET /api/v1/audit/events (filters, cursor paging), /audit/export (CSV), /audit/verify. */
export function AuditScreen() {
  const canExport = useCan("audit:export");
  const [filters, setFilters] = useState<AuditFilters>({ source: "data-plane" });
  const [source, setSource] = useState<AuditSource>("data-plane");
  const query = auditSearchParams(filters);
  const events = useInfiniteQuery({
    queryKey: ["audit-events", query.toString()],
    initialPageParam: "",
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams(query);
      params.set("limit", "50");
      if (pageParam) params.set("cursor", pageParam);
      return api<Page>(`/audit/events?${params}`);
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry: false,
  });
  const verify = useMutation({ mutationFn: () => api<Verification>("/audit/verify") });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values = Object.fromEntries(AUDIT_FILTERS.map((name) => [name, String(form.get(name) ?? "")]));
    setFilters({ ...values, source });
  }
  const rows = events.data?.pages.flatMap((page) => page.events) ?? [];
  const calls = filters.source === "data-plane";
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every MCP call decision the data planes report, and every administrative change."
        actions={
          <>
            <Button onClick={() => verify.mutate()} disabled={verify.isPending}>
              Verify hash chains
            </Button>
            {canExport ? (
              <a
                className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:bg-slate-900"
                href={`/api/v1/audit/export?${query}`}
                data-testid="audit-export"
              >
                Export CSV
              </a>
            ) : null}
          </>
        }
      />
      {verify.isError ? <ErrorState error={verify.error} /> : null}
      {verify.data ? <ChainResult result={verify.data} /> : null}
      <Card title="Filters">
        <form onSubmit={submit} className="grid gap-4 px-5 py-4 sm:grid-cols-2 lg:grid-cols-4">
          <Field label="Events" htmlFor="f-source">
            <Select
              id="f-source"
              name="source"
              value={source}
              onChange={(event) => setSource(event.currentTarget.value === "admin" ? "admin" : "data-plane")}
            >
              <option value="data-plane">MCP calls (data planes)</option>
              <option value="admin">Admin changes</option>
            </Select>
          </Field>
          <Field label="Tenant id" htmlFor="f-tenant">
            <Input id="f-tenant" name="tenantId" />
          </Field>
          {source === "data-plane" ? (
            <>
              <Field label="Key id" htmlFor="f-key">
                <Input id="f-key" name="keyId" />
              </Field>
              <Field label="Tool" htmlFor="f-tool">
                <Input id="f-tool" name="tool" />
              </Field>
            </>
          ) : (
            <Field label="Action" htmlFor="f-action" hint="e.g. api_key.issued">
              <Input id="f-action" name="action" />
            </Field>
          )}
          <Field label="Decision" htmlFor="f-decision">
            <Select id="f-decision" name="decision" defaultValue="">
              <option value="">any</option>
              {source === "data-plane" ? (
                <>
                  <option value="allow">allow</option>
                  <option value="deny">deny</option>
                  <option value="error">error</option>
                </>
              ) : (
                <option value="applied">applied</option>
              )}
            </Select>
          </Field>
          <Field label="From (local time)" htmlFor="f-from">
            <Input id="f-from" name="from" type="datetime-local" />
          </Field>
          <Field label="To (local time)" htmlFor="f-to">
            <Input id="f-to" name="to" type="datetime-local" />
          </Field>
          <div className="flex items-end">
            <Button type="submit" variant="primary">
              Apply filters
            </Button>
          </div>
        </form>
      </Card>
      <Card title={calls ? "MCP calls" : "Admin changes"} description="Newest first, times in UTC.">
        {events.isPending ? (
          <Loading rows={6} />
        ) : events.isError ? (
          <ErrorState error={events.error} />
        ) : rows.length === 0 ? (
          <Empty>
            {calls
              ? "No MCP calls match these filters. Data planes ship each call's decision here once they are connected to the control plane."
              : "No admin changes match these filters."}
          </Empty>
        ) : (
          <>
            <Table
              label="Audit events"
              head={
                calls
                  ? ["Time", "Tenant", "Key", "Tool / method", "Decision", "Code", "Latency"]
                  : ["Time", "Tenant", "Actor", "Action", "Decision"]
              }
            >
              {rows.map((row) => (
                <tr key={row.id}>
                  <td className={cell}>{formatDateTime(row.time)}</td>
                  <td className={cell}>
                    <Mono>{row.tenantId ?? "—"}</Mono>
                  </td>
                  <td className={cell}>
                    <Mono>{row.actor ?? "—"}</Mono>
                  </td>
                  <td className={cell}>{row.tool ?? row.action ?? "—"}</td>
                  <td className={cell}>
                    {row.decision ? (
                      <Badge tone={row.decision === "deny" || row.decision === "error" ? "red" : "green"}>
                        {row.decision}
                      </Badge>
                    ) : (
                      "—"
                    )}
                  </td>
                  {calls ? (
                    <>
                      <td className={cell}>{row.code ?? "—"}</td>
                      <td className={cell}>{row.latencyMs === null ? "—" : `${row.latencyMs} ms`}</td>
                    </>
                  ) : null}
                </tr>
              ))}
            </Table>
            {events.hasNextPage ? (
              <div className="border-t border-slate-200 px-5 py-3 dark:border-slate-800">
                <Button size="sm" onClick={() => events.fetchNextPage()} disabled={events.isFetchingNextPage}>
                  Older events
                </Button>
              </div>
            ) : null}
          </>
        )}
      </Card>
    </>
  );
}

function ChainResult({ result }: { result: Verification }) {
  const checked = result.chains.reduce((sum, chain) => sum + chain.checked, 0);
  if (result.chains.length === 0)
    return (
      <div data-testid="chain-result">
        <Callout tone="info" title="No hash chains yet">
          Chains start with the first MCP call event a data plane ships; admin changes are recorded in the same
          transaction as the change.
        </Callout>
      </div>
    );
  return (
    <div data-testid="chain-result">
      <Callout
        tone={result.ok ? "success" : "warning"}
        title={
          result.ok ? `Intact: ${checked} events in ${result.chains.length} chains verified` : "Tampering detected"
        }
      >
        {result.ok ? null : (
          <ul className="mt-1 space-y-1">
            {result.chains
              .filter((chain) => !chain.ok)
              .map((chain) => (
                <li key={chain.chainKey}>
                  <Mono>{shortHash(chain.chainKey, 24)}</Mono>:{" "}
                  {chain.problems
                    .map((problem) =>
                      problem.seq === undefined
                        ? `${problem.kind} ${problem.fromSeq}–${problem.toSeq}`
                        : `${problem.kind} at #${problem.seq}`,
                    )
                    .join(", ")}
                </li>
              ))}
          </ul>
        )}
      </Callout>
    </div>
  );
}
