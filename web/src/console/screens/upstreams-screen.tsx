"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api-client.ts";
import { useCan } from "../providers.tsx";
import { Badge, Button, Card, cell, Empty, ErrorState, Field, Input, Loading, Mono, Select, Table } from "../ui.tsx";

type Transport = "stdio" | "http" | "sse";
type Config =
  | { transport: "stdio"; command: string; args: string[]; env: Record<string, string>; stateful?: boolean }
  | { transport: "http"; url: string; replicas?: string[]; headers: Record<string, string> }
  | { transport: "sse"; url: string; headers: Record<string, string> };
type UpstreamRow = { id: string; name: string; transport: string; enabled: boolean; config: Config };
type TestResult =
  | { reachable: true; serverName: string | null; tools: string[]; latencyMs: number }
  | { reachable: false; error: string; latencyMs: number };

function describe(config: Config): string {
  if (config.transport === "stdio") return [config.command, ...config.args].join(" ");
  const replicas = config.transport === "http" ? (config.replicas?.length ?? 0) : 0;
  return replicas > 0 ? `${config.url} (+${replicas} replicas)` : config.url;
}

const TRANSPORTS: Record<Transport, string> = {
  stdio: "stdio (local process)",
  http: "HTTP (Streamable HTTP)",
  sse: "HTTP+SSE (older servers, 2024-11-05)",
};
const isTransport = (value: string): value is Transport => value in TRANSPORTS;

export function UpstreamsScreen({ tenantId }: { tenantId: string }) {
  const base = `/tenants/${tenantId}/upstreams`;
  const queryClient = useQueryClient();
  const canCreate = useCan("upstream:create", tenantId);
  const canTest = useCan("upstream:test", tenantId);
  const canChange = useCan("upstream:update", tenantId);
  const [results, setResults] = useState<Record<string, TestResult>>({});
  const upstreams = useQuery({ queryKey: ["upstreams", tenantId], queryFn: () => api<{ items: UpstreamRow[] }>(base) });
  const test = useMutation({
    mutationFn: (id: string) => api<TestResult>(`${base}/${id}/test`, { method: "POST" }),
    onSuccess: (result, id) => setResults((previous) => ({ ...previous, [id]: result })),
  });
  const toggle = useMutation({
    mutationFn: (row: UpstreamRow) => api(`${base}/${row.id}`, { method: "PATCH", body: { enabled: !row.enabled } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["upstreams", tenantId] }),
  });
  return (
    <div className="space-y-6">
      {canCreate ? <CreateUpstream tenantId={tenantId} /> : null}
      <Card title="Upstream servers" description="Environment and header values are masked.">
        {upstreams.isPending ? (
          <Loading />
        ) : upstreams.isError ? (
          <ErrorState error={upstreams.error} />
        ) : upstreams.data.items.length === 0 ? (
          <Empty>No upstream servers yet.</Empty>
        ) : (
          <Table label="Upstream servers" head={["Name", "Transport", "Definition", "State", "Connection", ""]}>
            {upstreams.data.items.map((row) => {
              const result = results[row.id];
              return (
                <tr key={row.id}>
                  <td className={`${cell} font-medium`}>{row.name}</td>
                  <td className={cell}>
                    <Badge tone="slate">{row.transport}</Badge>
                  </td>
                  <td className={`${cell} max-w-xs truncate`}>
                    <Mono title={describe(row.config)}>{describe(row.config)}</Mono>
                  </td>
                  <td className={cell}>
                    {row.enabled ? <Badge tone="green">enabled</Badge> : <Badge tone="slate">disabled</Badge>}
                  </td>
                  <td className={cell} data-testid={`connection-${row.name}`}>
                    {result === undefined ? (
                      <span className="text-slate-600 dark:text-slate-400">not tested</span>
                    ) : result.reachable ? (
                      <Badge tone="green">
                        {result.tools.length} tools · {result.latencyMs} ms
                      </Badge>
                    ) : (
                      <span title={result.error}>
                        <Badge tone="red">unreachable</Badge>
                      </span>
                    )}
                  </td>
                  <td className={`${cell} text-right`}>
                    <span className="inline-flex gap-2">
                      {canTest ? (
                        <Button size="sm" disabled={test.isPending} onClick={() => test.mutate(row.id)}>
                          {test.isPending && test.variables === row.id ? "Testing…" : "Test connection"}
                        </Button>
                      ) : null}
                      {canChange ? (
                        <Button size="sm" variant="ghost" onClick={() => toggle.mutate(row)}>
                          {row.enabled ? "Disable" : "Enable"}
                        </Button>
                      ) : null}
                    </span>
                  </td>
                </tr>
              );
            })}
          </Table>
        )}
      </Card>
    </div>
  );
}

function CreateUpstream({ tenantId }: { tenantId: string }) {
  const queryClient = useQueryClient();
  const [transport, setTransport] = useState<Transport>("stdio");
  const [error, setError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (body: { name: string; config: Config }) =>
      api(`/tenants/${tenantId}/upstreams`, { method: "POST", body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["upstreams", tenantId] });
      void queryClient.invalidateQueries({ queryKey: ["publish-state"] });
    },
    onError: (failure) => setError(failure.message),
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? "").trim();
    const words = (name: string) => (value(name) ? value(name).split(/\s+/) : []);
    const config: Config =
      transport === "stdio"
        ? {
            transport,
            command: value("command"),
            args: words("args"),
            env: {},
            ...(form.get("stateful") ? { stateful: true } : {}),
          }
        : transport === "http"
          ? { transport, url: value("url"), headers: {}, ...(value("replicas") ? { replicas: words("replicas") } : {}) }
          : { transport, url: value("url"), headers: {} };
    create.mutate({ name: value("name"), config });
  }
  return (
    <Card
      title="New upstream server"
      description="A local process (stdio) or a remote MCP endpoint (Streamable HTTP, or HTTP+SSE for older servers)."
    >
      <form onSubmit={submit} className="grid gap-4 px-5 py-4 md:grid-cols-2">
        <Field label="Name" htmlFor="upstream-name" hint="Tools appear as <name>__<tool>">
          <Input id="upstream-name" name="name" required pattern="[A-Za-z0-9][A-Za-z0-9_.\-]*" maxLength={64} />
        </Field>
        <Field label="Transport" htmlFor="upstream-transport">
          <Select
            id="upstream-transport"
            value={transport}
            onChange={(event) => setTransport(isTransport(event.target.value) ? event.target.value : "stdio")}
          >
            {Object.entries(TRANSPORTS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </Field>
        {transport === "stdio" ? (
          <>
            <Field label="Command" htmlFor="upstream-command">
              <Input id="upstream-command" name="command" required />
            </Field>
            <Field label="Arguments" htmlFor="upstream-args" hint="Separated by spaces">
              <Input id="upstream-args" name="args" />
            </Field>
            <label className="flex items-center gap-2 text-sm md:col-span-2">
              <input type="checkbox" name="stateful" className="h-4 w-4 rounded border-slate-300" /> Stateful: one
              process per client session
            </label>
          </>
        ) : (
          <>
            <Field
              label={transport === "sse" ? "SSE stream URL" : "URL"}
              htmlFor="upstream-url"
              hint={transport === "sse" ? "The server's GET endpoint, often /sse" : undefined}
            >
              <Input
                id="upstream-url"
                name="url"
                type="url"
                required
                placeholder={transport === "sse" ? "https://mcp.example.com/sse" : "https://mcp.example.com/mcp"}
              />
            </Field>
            {transport === "http" ? (
              <Field
                label="Replicas"
                htmlFor="upstream-replicas"
                hint="More URLs of the same server, separated by spaces"
              >
                <Input id="upstream-replicas" name="replicas" />
              </Field>
            ) : null}
          </>
        )}
        <div className="md:col-span-2">
          <Button type="submit" variant="primary" disabled={create.isPending}>
            Add upstream
          </Button>
          {error ? (
            <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">
              {error}
            </p>
          ) : null}
        </div>
      </form>
    </Card>
  );
}
