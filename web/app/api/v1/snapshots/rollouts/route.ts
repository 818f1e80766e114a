import { z } from "zod";
import { apiRoute } from "@/api/api-route.ts";
import { ApiError } from "@/api/errors.ts";
import { controlPlane } from "@/control-plane.ts";
import { operatorActor } from "@/fleet/operator-actor.ts";

export const dynamic = "force-dynamic";

/** Staged rollout: publishes the current state to the named data planes only. */
export const POST = apiRoute({
  permission: "snapshot:rollout",
  body: z.object({
    nodeIds: z.array(z.string().min(1)).min(1).max(1000),
    ttlMs: z.number().int().positive().nullable().default(null),
  }),
  handler: async ({ principal, body }) => {
    const { cp, context } = await controlPlane();
    const result = await cp.startStagedRollout(context.db, context.signingKey, operatorActor(principal), body, {
      secretsKey: context.secretsKey,
      trustedKeys: await cp.trustedPublicKeys(context.dataDir, context.signingKey),
    });
    if (!result.ok) throw new ApiError("INVALID_REQUEST", result.message, result);
    void context.reconcileNow();
    return { version: result.snapshot.version, sha256: result.snapshot.sha256, status: result.snapshot.status };
  },
});
