"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, isMissingRoute } from "../api-client.ts";
import { formatDateTime } from "../format.ts";
import {
  Badge,
  Button,
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

type AuditRow = {
  id: string;
  createdAt: string;
  tenantId: string | null;
  kind?: string;
  actor?: string;
  action?: string;
  tool?: string | null;
  keyId?: string | null;
  decision?: string | null;
};
type Page = { items: AuditRow[]; nextCursor: string | null };
const FILTERS = ["tenantId", "keyId", "tool", "decision", "from", "to"] as const;

/** The audit log: served by GET /api/v1/audit-events (filters, cursor paging, CSV export). */
export function AuditScreen() {
  const [filters, setFilters] = useState<Record<string, string>>({});
  const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== ""));
  const events = useInfiniteQuery({
    queryKey: ["audit-events", query.toString()],
    initialPageParam: "",
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams(query);
      params.set("limit", "50");
      if (pageParam) params.set("cursor", pageParam);
      return api<Page>(`/audit-events?${params}`);
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry: false,
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFilters(Object.fromEntries(FILTERS.map((name) => [name, String(form.get(name) ?? "").trim()])));
  }
  const rows = events.data?.pages.flatMap((page) => page.items) ?? [];
  const csv = new URLSearchParams(query);
  csv.set("format", "csv");
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every MCP call decision and every administrative change."
        actions={
          <a
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:bg-slate-900"
            href={`/api/v1/audit-events?${csv}`}
          >
            Export CSV
          </a>
        }
      />
      <Card title="Filters">
        <form onSubmit={submit} className="grid gap-4 px-5 py-4 sm:grid-cols-2 lg:grid-cols-3">
          <Field label="Tenant id" htmlFor="f-tenant">
            <Input id="f-tenant" name="tenantId" />
          </Field>
          <Field label="Key id" htmlFor="f-key">
            <Input id="f-key" name="keyId" />
          </Field>
          <Field label="Tool" htmlFor="f-tool">
            <Input id="f-tool" name="tool" />
          </Field>
          <Field label="Decision" htmlFor="f-decision">
            <Select id="f-decision" name="decision" defaultValue="">
              <option value="">any</option>
              <option value="allowed">allowed</option>
              <option value="denied">denied</option>
              <option value="applied">applied (admin)</option>
            </Select>
          </Field>
          <Field label="From" htmlFor="f-from">
            <Input id="f-from" name="from" type="datetime-local" />
          </Field>
          <Field label="To" htmlFor="f-to">
            <Input id="f-to" name="to" type="datetime-local" />
          </Field>
          <div className="sm:col-span-2 lg:col-span-3">
            <Button type="submit" variant="primary">
              Apply filters
            </Button>
          </div>
        </form>
      </Card>
      <Card title="Events" description="Newest first.">
        {events.isPending ? (
          <Loading rows={6} />
        ) : events.isError ? (
          isMissingRoute(events.error) ? (
            <Empty>
              The audit-events API (GET /api/v1/audit-events) is not part of this build yet: events will appear here
              once the audit pipeline is deployed.
            </Empty>
          ) : (
            <ErrorState error={events.error} />
          )
        ) : rows.length === 0 ? (
          <Empty>No events match these filters.</Empty>
        ) : (
          <>
            <Table label="Audit events" head={["Time", "Tenant", "Actor", "Action / tool", "Decision"]}>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td className={cell}>{formatDateTime(row.createdAt)}</td>
                  <td className={cell}>
                    <Mono>{row.tenantId ?? "—"}</Mono>
                  </td>
                  <td className={cell}>
                    <Mono>{row.actor ?? row.keyId ?? "—"}</Mono>
                  </td>
                  <td className={cell}>{row.tool ?? row.action ?? "—"}</td>
                  <td className={cell}>
                    {row.decision ? (
                      <Badge tone={row.decision === "denied" ? "red" : "green"}>{row.decision}</Badge>
                    ) : (
                      "—"
                    )}
                  </td>
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
