"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api-client.ts";
import { displayKeyPrefix, formatDateTime, type KeyStatus, keyStatus } from "../format.ts";
import { useCan } from "../providers.tsx";
import { SecretOnce } from "../secret-once.tsx";
import { Badge, Button, Card, cell, Empty, ErrorState, Field, Input, Loading, Mono, Table } from "../ui.tsx";

type KeyRow = {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  roles: string[];
};
type Issued = { id: string; key: string; name: string };

/** "reader, ci" → ["reader", "ci"]; the API validates each role. */
export function parseRoles(text: string): string[] {
  return text
    .split(",")
    .map((role) => role.trim())
    .filter((role) => role.length > 0);
}

const STATUS_TONE: Record<KeyStatus, "green" | "amber" | "red"> = { active: "green", expired: "amber", revoked: "red" };

export function KeysScreen({ tenantId }: { tenantId: string }) {
  const queryClient = useQueryClient();
  const base = `/tenants/${tenantId}/api-keys`;
  const canCreate = useCan("apiKey:create", tenantId);
  const canChange = useCan("apiKey:update", tenantId);
  const canRevoke = useCan("apiKey:delete", tenantId);
  const [secret, setSecret] = useState<Issued | null>(null);
  const [error, setError] = useState<string | null>(null);
  const keys = useInfiniteQuery({
    queryKey: ["keys", tenantId],
    initialPageParam: "",
    queryFn: ({ pageParam }) =>
      api<{ items: KeyRow[]; nextCursor: string | null }>(`${base}?limit=50${pageParam ? `&cursor=${pageParam}` : ""}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["keys", tenantId] });
  const onError = (failure: Error) => setError(failure.message);
  const create = useMutation({
    mutationFn: (body: { name: string; expiresInDays: number | null; roles: string[] }) =>
      api<Issued>(base, { method: "POST", body }),
    onSuccess: (issued) => {
      setSecret(issued);
      void refresh();
    },
    onError,
  });
  const rotate = useMutation({
    mutationFn: (id: string) =>
      api<Issued>(`${base}/${id}/rotate`, { method: "POST", body: { overlapSeconds: 86_400 } }),
    onSuccess: (issued) => {
      setSecret(issued);
      void refresh();
    },
    onError,
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`${base}/${id}/revoke`, { method: "POST" }),
    onSuccess: refresh,
    onError,
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const form = new FormData(event.currentTarget);
    const days = String(form.get("expiresInDays") ?? "");
    create.mutate({
      name: String(form.get("name") ?? ""),
      expiresInDays: days ? Number(days) : null,
      roles: parseRoles(String(form.get("roles") ?? "")),
    });
    event.currentTarget.reset();
  }

  const rows = keys.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="space-y-6">
      {secret ? (
        <SecretOnce label={`API key "${secret.name}"`} secret={secret.key} onDismiss={() => setSecret(null)} />
      ) : null}
      {error ? <ErrorState error={new Error(error)} /> : null}
      {canCreate ? (
        <Card title="New API key" description="The key is shown once; only its hash is stored.">
          <form onSubmit={submit} className="grid gap-4 px-5 py-4 sm:grid-cols-[1fr_12rem_14rem_auto] sm:items-end">
            <Field label="Name" htmlFor="key-name">
              <Input id="key-name" name="name" required maxLength={100} />
            </Field>
            <Field label="Expires in (days)" htmlFor="key-expiry" hint="Empty: never">
              <Input id="key-expiry" name="expiresInDays" type="number" min={1} max={3650} />
            </Field>
            <Field label="Roles" htmlFor="key-roles" hint="Comma-separated; policies bind to them">
              <Input id="key-roles" name="roles" maxLength={1000} placeholder="reader, ci" />
            </Field>
            <Button type="submit" variant="primary" disabled={create.isPending}>
              Create key
            </Button>
          </form>
        </Card>
      ) : null}
      <Card title="API keys" description="Rotation keeps the old key working for 24 hours.">
        {keys.isPending ? (
          <Loading />
        ) : keys.isError ? (
          <ErrorState error={keys.error} />
        ) : rows.length === 0 ? (
          <Empty>No API keys yet.</Empty>
        ) : (
          <>
            <Table label="API keys" head={["Name", "Prefix", "Roles", "Status", "Created", "Expires", "Last used", ""]}>
              {rows.map((key) => {
                const status = keyStatus({
                  expiresAt: key.expiresAt ? new Date(key.expiresAt) : null,
                  revokedAt: key.revokedAt ? new Date(key.revokedAt) : null,
                });
                return (
                  <tr key={key.id}>
                    <td className={`${cell} font-medium`}>{key.name}</td>
                    <td className={cell}>
                      <Mono>{displayKeyPrefix(key.prefix)}</Mono>
                    </td>
                    <td className={cell}>{key.roles.length > 0 ? key.roles.join(", ") : "—"}</td>
                    <td className={cell}>
                      <Badge tone={STATUS_TONE[status]}>{status}</Badge>
                    </td>
                    <td className={cell}>{formatDateTime(key.createdAt)}</td>
                    <td className={cell}>{key.expiresAt ? formatDateTime(key.expiresAt) : "Never"}</td>
                    <td className={cell}>{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : "Never"}</td>
                    <td className={`${cell} text-right`}>
                      {status === "active" ? (
                        <span className="inline-flex gap-2">
                          <Button
                            size="sm"
                            disabled={!canChange || rotate.isPending}
                            onClick={() => rotate.mutate(key.id)}
                          >
                            Rotate
                          </Button>
                          <Button
                            size="sm"
                            variant="danger"
                            disabled={!canRevoke || revoke.isPending}
                            onClick={() => revoke.mutate(key.id)}
                          >
                            Revoke
                          </Button>
                        </span>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </Table>
            {keys.hasNextPage ? (
              <div className="border-t border-slate-200 px-5 py-3 dark:border-slate-800">
                <Button size="sm" onClick={() => keys.fetchNextPage()} disabled={keys.isFetchingNextPage}>
                  Load more
                </Button>
              </div>
            ) : null}
          </>
        )}
      </Card>
    </div>
  );
}
