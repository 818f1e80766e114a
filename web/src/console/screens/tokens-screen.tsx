"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api-client.ts";
import { formatDateTime } from "../format.ts";
import { SecretOnce } from "../secret-once.tsx";
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
  Table,
} from "../ui.tsx";

type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  readOnly: boolean;
  tenantId: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
};

export function TokensScreen() {
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const tokens = useQuery({
    queryKey: ["operator-tokens"],
    queryFn: () => api<{ items: TokenRow[] }>("/operator-tokens"),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["operator-tokens"] });
  const create = useMutation({
    mutationFn: (body: { name: string; expiresInDays: number; readOnly: boolean }) =>
      api<{ token: string }>("/operator-tokens", { method: "POST", body }),
    onSuccess: (issued, body) => {
      setSecret({ name: body.name, token: issued.token });
      void refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/operator-tokens/${id}`, { method: "DELETE" }),
    onSuccess: refresh,
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({
      name: String(form.get("name") ?? ""),
      expiresInDays: Number(form.get("expiresInDays") ?? 90),
      readOnly: form.get("readOnly") === "on",
    });
    event.currentTarget.reset();
  }
  return (
    <>
      <PageHeader
        title="Operator tokens"
        description="API tokens for automation: they act with your roles, hashed at rest, always expiring."
      />
      {secret ? (
        <SecretOnce label={`Token "${secret.name}"`} secret={secret.token} onDismiss={() => setSecret(null)} />
      ) : null}
      <Card title="New token">
        <form onSubmit={submit} className="grid gap-4 px-5 py-4 sm:grid-cols-[1fr_10rem_auto_auto] sm:items-end">
          <Field label="Name" htmlFor="token-name">
            <Input id="token-name" name="name" required maxLength={100} />
          </Field>
          <Field label="Expires in (days)" htmlFor="token-expiry">
            <Input id="token-expiry" name="expiresInDays" type="number" min={1} max={365} defaultValue={90} required />
          </Field>
          <label className="flex items-center gap-2 pb-2 text-sm">
            <input type="checkbox" name="readOnly" className="h-4 w-4 rounded border-slate-300" /> Read-only
          </label>
          <Button type="submit" variant="primary" disabled={create.isPending}>
            Create token
          </Button>
        </form>
        {create.isError ? <ErrorState error={create.error} /> : null}
      </Card>
      <Card title="Your tokens">
        {tokens.isPending ? (
          <Loading />
        ) : tokens.isError ? (
          <ErrorState error={tokens.error} />
        ) : tokens.data.items.length === 0 ? (
          <Empty>No tokens.</Empty>
        ) : (
          <Table label="Operator tokens" head={["Name", "Prefix", "Scope", "Expires", "Last used", ""]}>
            {tokens.data.items.map((token) => (
              <tr key={token.id}>
                <td className={`${cell} font-medium`}>{token.name}</td>
                <td className={cell}>
                  <Mono>o1t_{token.prefix}_…</Mono>
                </td>
                <td className={cell}>
                  <Badge tone={token.readOnly ? "slate" : "indigo"}>{token.readOnly ? "read-only" : "full"}</Badge>
                </td>
                <td className={cell}>{token.expiresAt ? formatDateTime(token.expiresAt) : "Never"}</td>
                <td className={cell}>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : "Never"}</td>
                <td className={`${cell} text-right`}>
                  {token.revokedAt ? (
                    <Badge tone="red">revoked</Badge>
                  ) : (
                    <Button size="sm" variant="danger" onClick={() => revoke.mutate(token.id)}>
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
