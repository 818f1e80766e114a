"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { api } from "../api-client.ts";
import { formatDateTime } from "../format.ts";
import { useCan } from "../providers.tsx";
import { Button, Card, cell, Empty, ErrorState, Field, Input, Loading, Mono, PageHeader, Table } from "../ui.tsx";

export type TenantRow = {
  id: string;
  slug: string;
  name: string;
  createdAt: string;
  _count: { apiKeys: number; policies: number; upstreams: number; memberships: number };
};

export function TenantsScreen() {
  const tenants = useQuery({
    queryKey: ["tenants"],
    queryFn: () => api<{ items: TenantRow[] }>("/tenants"),
  });
  const canCreate = useCan("tenant:create");
  return (
    <>
      <PageHeader
        title="Tenants"
        description="Each tenant has its own API keys, policies, upstream servers and members."
      />
      {canCreate ? <CreateTenant /> : null}
      <Card title="All tenants" description="Only tenants you hold a role in are listed.">
        {tenants.isPending ? (
          <Loading />
        ) : tenants.isError ? (
          <ErrorState error={tenants.error} />
        ) : tenants.data.items.length === 0 ? (
          <Empty>No tenants yet.</Empty>
        ) : (
          <Table label="Tenants" head={["Name", "Slug", "Keys", "Policies", "Upstreams", "Members", "Created"]}>
            {tenants.data.items.map((tenant) => (
              <tr key={tenant.id}>
                <td className={`${cell} font-medium`}>
                  <Link
                    className="text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-300"
                    href={`/tenants/${tenant.id}/keys`}
                  >
                    {tenant.name}
                  </Link>
                </td>
                <td className={cell}>
                  <Mono>{tenant.slug}</Mono>
                </td>
                <td className={cell}>{tenant._count.apiKeys}</td>
                <td className={cell}>{tenant._count.policies}</td>
                <td className={cell}>{tenant._count.upstreams}</td>
                <td className={cell}>{tenant._count.memberships}</td>
                <td className={cell}>{formatDateTime(tenant.createdAt)}</td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}

function CreateTenant() {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (input: { slug: string; name: string }) => api<TenantRow>("/tenants", { method: "POST", body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["tenants"] }),
    onError: (failure) => setError(failure.message),
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const form = new FormData(event.currentTarget);
    create.mutate({ slug: String(form.get("slug") ?? ""), name: String(form.get("name") ?? "") });
    event.currentTarget.reset();
  }
  return (
    <Card title="New tenant">
      <form onSubmit={submit} className="grid gap-4 px-5 py-4 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
        <Field label="Name" htmlFor="tenant-name">
          <Input id="tenant-name" name="name" required maxLength={200} />
        </Field>
        <Field label="Slug" htmlFor="tenant-slug" hint="lowercase letters, digits and '-'">
          <Input id="tenant-slug" name="slug" required pattern="[a-z0-9][a-z0-9-]*" minLength={2} maxLength={64} />
        </Field>
        <Button type="submit" variant="primary" disabled={create.isPending}>
          Create tenant
        </Button>
        {error ? (
          <p role="alert" className="text-sm text-red-700 sm:col-span-3 dark:text-red-300">
            {error}
          </p>
        ) : null}
      </form>
    </Card>
  );
}
