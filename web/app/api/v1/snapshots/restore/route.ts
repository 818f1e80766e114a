import { z } from "zod";
import { apiRoute } from "@/api/api-route.ts";
import { ApiError } from "@/api/errors.ts";
import { controlPlane } from "@/control-plane.ts";
import { operatorActor } from "@/fleet/operator-actor.ts";

export const dynamic = "force-dynamic";

/** Re-signs an earlier version's content as the next version and pushes it to every node. */
export const POST = apiRoute({
  permission: "snapshot:rollout",
  body: z.object({ fromVersion: z.number().int().positive() }),
  handler: async ({ principal, body }) => {
    const { cp, context } = await controlPlane();
    const result = await cp.restoreSnapshotContent(context.db, context.signingKey, operatorActor(principal), body);
    if (!result.ok) throw new ApiError("NOT_FOUND", result.message);
    void context.reconcileNow();
    return result;
  },
});
