"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getPublishState, publishNow } from "../snapshots/publish-actions.ts";
import { useCan } from "./providers.tsx";
import { Badge, Button } from "./ui.tsx";

/** Snapshot status and the publish button, in the header of every screen. */
export function PublishBar() {
  const queryClient = useQueryClient();
  const canPublish = useCan("snapshot:publish");
  const state = useQuery({ queryKey: ["publish-state"], queryFn: () => getPublishState(), refetchInterval: 5_000 });
  const publish = useMutation({
    mutationFn: () => publishNow(),
    onSettled: () => queryClient.invalidateQueries(),
  });
  const value = state.data?.ok ? state.data.value : null;
  const failure = publish.data && !publish.data.ok ? publish.data.message : null;
  return (
    <div className="flex items-center gap-3 text-sm" data-testid="publish-bar">
      {value ? (
        <span className="flex items-center gap-2">
          <span className="text-slate-600 dark:text-slate-400">Snapshot</span>
          <span className="font-semibold" data-testid="snapshot-version">
            {value.version === null ? "none" : `v${value.version}`}
          </span>
          {value.pending ? <Badge tone="amber">unpublished changes</Badge> : <Badge tone="green">in sync</Badge>}
        </span>
      ) : null}
      {canPublish ? (
        <Button
          variant="primary"
          size="sm"
          disabled={publish.isPending || !value?.pending}
          onClick={() => publish.mutate()}
        >
          {publish.isPending ? "Publishing…" : "Publish"}
        </Button>
      ) : null}
      {failure ? (
        <span role="alert" className="text-red-700 dark:text-red-300">
          {failure}
        </span>
      ) : null}
    </div>
  );
}
