"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { api, isMissingRoute } from "../api-client.ts";
import { formatDateTime, shortHash } from "../format.ts";
import { useCan } from "../providers.tsx";
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

type ReportRow = {
  id: string;
  framework: string;
  status: string;
  from?: string;
  to?: string;
  createdAt: string;
  sha256?: string | null;
  progress?: number | null;
};

/** Compliance reports: served by /api/v1/reports (generate, status, download CSV/JSON/PDF). */
export function ReportsScreen() {
  const queryClient = useQueryClient();
  const canCreate = useCan("report:create");
  const reports = useQuery({
    queryKey: ["reports"],
    queryFn: () => api<{ items: ReportRow[] }>("/reports"),
    retry: false,
    refetchInterval: (query) =>
      query.state.data?.items.some((r) => r.status !== "ready" && r.status !== "failed") ? 2_000 : false,
  });
  const generate = useMutation({
    mutationFn: (body: { framework: string; from: string; to: string }) => api("/reports", { method: "POST", body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["reports"] }),
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const iso = (name: string) => new Date(String(form.get(name) ?? "")).toISOString();
    generate.mutate({ framework: String(form.get("framework") ?? "soc2"), from: iso("from"), to: iso("to") });
  }
  const missing = reports.isError && isMissingRoute(reports.error);
  return (
    <>
      <PageHeader
        title="Compliance reports"
        description="Evidence of who called what, and what was denied, for a period."
      />
      {canCreate ? (
        <Card title="Generate a report">
          <form onSubmit={submit} className="grid gap-4 px-5 py-4 sm:grid-cols-[12rem_1fr_1fr_auto] sm:items-end">
            <Field label="Framework" htmlFor="r-framework">
              <Select id="r-framework" name="framework" defaultValue="soc2">
                <option value="soc2">SOC 2</option>
                <option value="iso27001">ISO 27001</option>
                <option value="gdpr">GDPR</option>
              </Select>
            </Field>
            <Field label="From" htmlFor="r-from">
              <Input id="r-from" name="from" type="date" required />
            </Field>
            <Field label="To" htmlFor="r-to">
              <Input id="r-to" name="to" type="date" required />
            </Field>
            <Button type="submit" variant="primary" disabled={generate.isPending || missing}>
              Generate
            </Button>
          </form>
          {generate.isError ? <ErrorState error={generate.error} /> : null}
        </Card>
      ) : null}
      <Card title="Reports">
        {reports.isPending ? (
          <Loading />
        ) : reports.isError ? (
          missing ? (
            <Empty>
              The reports API (/api/v1/reports) is not part of this build yet: generated reports will be listed here
              with their sha256 and CSV, JSON and PDF downloads.
            </Empty>
          ) : (
            <ErrorState error={reports.error} />
          )
        ) : reports.data.items.length === 0 ? (
          <Empty>No reports generated yet.</Empty>
        ) : (
          <Table label="Reports" head={["Created", "Framework", "Status", "sha256", "Download"]}>
            {reports.data.items.map((report) => (
              <tr key={report.id}>
                <td className={cell}>{formatDateTime(report.createdAt)}</td>
                <td className={cell}>{report.framework}</td>
                <td className={cell}>
                  <Badge tone={report.status === "ready" ? "green" : report.status === "failed" ? "red" : "amber"}>
                    {report.status}
                    {report.progress != null && report.status !== "ready"
                      ? ` ${Math.round(report.progress * 100)}%`
                      : ""}
                  </Badge>
                </td>
                <td className={cell}>
                  {report.sha256 ? <Mono title={report.sha256}>{shortHash(report.sha256, 16)}</Mono> : "—"}
                </td>
                <td className={`${cell} space-x-3`}>
                  {report.status === "ready"
                    ? (["csv", "json", "pdf"] as const).map((format) => (
                        <a
                          key={format}
                          className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                          href={`/api/v1/reports/${report.id}/download?format=${format}`}
                        >
                          {format.toUpperCase()}
                        </a>
                      ))
                    : null}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
