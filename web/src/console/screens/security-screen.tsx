"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { stringify } from "yaml";
import { api } from "../api-client.ts";
import { formatDateTime } from "../format.ts";
import { useCan } from "../providers.tsx";
import { Button, Card, ErrorState, Field, Loading, Textarea } from "../ui.tsx";
import { parseSecurityDocument } from "./security-document.ts";

type Stored = { security: unknown; observability: unknown; updatedAt: string | null };

const PLACEHOLDER = `security:
  rate_limiting:
    enabled: true
    global_limit: 10000
    per_client_limit: 1000
`;

/** The fleet's security settings: paste the seed's recommended block (YAML or JSON) as written. */
export function SecurityScreen() {
  const queryClient = useQueryClient();
  const canSave = useCan("security:update");
  const stored = useQuery({ queryKey: ["security-settings"], queryFn: () => api<Stored>("/security-settings") });
  const [text, setText] = useState("");
  const [serverError, setServerError] = useState<string | null>(null);
  useEffect(() => {
    if (!stored.data?.security) return;
    const document = {
      security: stored.data.security,
      ...(stored.data.observability ? { observability: stored.data.observability } : {}),
    };
    setText(stringify(document));
  }, [stored.data]);
  const validation = useMemo(() => (text.trim() ? parseSecurityDocument(text) : null), [text]);
  const save = useMutation({
    mutationFn: (body: unknown) => api<Stored>("/security-settings", { method: "PUT", body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["security-settings"] }),
    onError: (error: Error) => setServerError(error.message),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setServerError(null);
    if (validation?.ok) save.mutate(validation.body);
  }

  if (stored.isPending) return <Loading />;
  if (stored.isError) return <ErrorState error={stored.error} />;
  return (
    <Card
      title="Security settings"
      description="The seed's recommended security block (tls, auth, rate_limiting, sandbox, observability.audit), as written. Every data plane enforces it from the next publish."
    >
      <form onSubmit={submit} className="space-y-4 px-5 py-4">
        <Field
          label="security: / observability: (YAML or JSON)"
          htmlFor="security-document"
          error={validation && !validation.ok ? validation.error : null}
          hint={
            stored.data.updatedAt
              ? `Last changed ${formatDateTime(stored.data.updatedAt)}`
              : "Not set: data planes use their defaults."
          }
        >
          <Textarea
            id="security-document"
            rows={24}
            spellCheck={false}
            value={text}
            placeholder={PLACEHOLDER}
            aria-invalid={validation ? !validation.ok : undefined}
            onChange={(e) => setText(e.target.value)}
            disabled={!canSave}
          />
        </Field>
        {serverError ? <ErrorState error={new Error(serverError)} /> : null}
        {canSave ? (
          <Button type="submit" variant="primary" disabled={!validation?.ok || save.isPending}>
            Save
          </Button>
        ) : null}
      </form>
    </Card>
  );
}
