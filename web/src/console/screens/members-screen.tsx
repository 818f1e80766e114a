"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api-client.ts";
import { useCan } from "../providers.tsx";
import { Badge, Button, Card, cell, Empty, ErrorState, Field, Input, Loading, Select, Table } from "../ui.tsx";

const ROLES = ["owner", "admin", "auditor", "viewer"] as const;
type Role = (typeof ROLES)[number];
type MemberRow = {
  id: string;
  role: Role;
  inherited: boolean;
  operator: { id: string; email: string; name: string; sso: boolean };
};

const ROLE_HELP: Record<Role, string> = {
  owner: "everything, including members",
  admin: "keys, policies, upstreams, publish",
  auditor: "reads all, exports reports; changes nothing",
  viewer: "reads configuration",
};

export function MembersScreen({ tenantId }: { tenantId: string }) {
  const base = `/tenants/${tenantId}/members`;
  const queryClient = useQueryClient();
  const canAdd = useCan("member:create", tenantId);
  const canChange = useCan("member:update", tenantId);
  const canRemove = useCan("member:delete", tenantId);
  const [error, setError] = useState<string | null>(null);
  const members = useQuery({ queryKey: ["members", tenantId], queryFn: () => api<{ items: MemberRow[] }>(base) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["members", tenantId] });
  const onError = (failure: Error) => setError(failure.message);
  const add = useMutation({
    mutationFn: (body: { email: string; role: Role }) => api(base, { method: "POST", body }),
    onSuccess: refresh,
    onError,
  });
  const change = useMutation({
    mutationFn: (input: { id: string; role: Role }) =>
      api(`${base}/${input.id}`, { method: "PATCH", body: { role: input.role } }),
    onSuccess: refresh,
    onError,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api(`${base}/${id}`, { method: "DELETE" }),
    onSuccess: refresh,
    onError,
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const form = new FormData(event.currentTarget);
    add.mutate({ email: String(form.get("email") ?? ""), role: String(form.get("role") ?? "viewer") as Role });
    event.currentTarget.reset();
  }

  return (
    <div className="space-y-6">
      {error ? <ErrorState error={new Error(error)} /> : null}
      {canAdd ? (
        <Card title="Add member" description="By email. Someone new signs in with SSO using that email.">
          <form onSubmit={submit} className="grid gap-4 px-5 py-4 sm:grid-cols-[1fr_22rem_auto] sm:items-end">
            <Field label="Email" htmlFor="member-email">
              <Input id="member-email" name="email" type="email" required />
            </Field>
            <Field label="Role" htmlFor="member-role">
              <Select id="member-role" name="role" defaultValue="viewer">
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {role} — {ROLE_HELP[role]}
                  </option>
                ))}
              </Select>
            </Field>
            <Button type="submit" variant="primary" disabled={add.isPending}>
              Add member
            </Button>
          </form>
        </Card>
      ) : null}
      <Card title="Members and roles">
        {members.isPending ? (
          <Loading />
        ) : members.isError ? (
          <ErrorState error={members.error} />
        ) : members.data.items.length === 0 ? (
          <Empty>No members.</Empty>
        ) : (
          <Table label="Members" head={["Operator", "Sign-in", "Role", ""]}>
            {members.data.items.map((member) => (
              <tr key={member.id}>
                <td className={cell}>
                  <span className="block font-medium">{member.operator.name}</span>
                  <span className="block text-slate-600 dark:text-slate-400">{member.operator.email}</span>
                </td>
                <td className={cell}>
                  {member.operator.sso ? <Badge tone="indigo">SSO</Badge> : <Badge tone="slate">password</Badge>}
                </td>
                <td className={cell}>
                  {member.inherited ? (
                    <span className="inline-flex items-center gap-2">
                      {member.role} <Badge tone="slate">every tenant</Badge>
                    </span>
                  ) : (
                    <Select
                      aria-label={`Role of ${member.operator.email}`}
                      value={member.role}
                      disabled={!canChange || change.isPending}
                      onChange={(event) => change.mutate({ id: member.id, role: event.target.value as Role })}
                    >
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </Select>
                  )}
                </td>
                <td className={`${cell} text-right`}>
                  {!member.inherited && canRemove ? (
                    <Button size="sm" variant="danger" onClick={() => remove.mutate(member.id)}>
                      Remove
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </div>
  );
}
