import { apiRoute } from "@/api/api-route.ts";
import { ApiError } from "@/api/errors.ts";
import { controlPlane } from "@/control-plane.ts";
import { operatorActor } from "@/fleet/operator-actor.ts";

export const dynamic = "force-dynamic";

/** The staged version becomes current for every data plane. */
export const POST = apiRoute({
  permission: "snapshot:rollout",
  handler: async ({ principal, params }) => {
    const version = Number(params.version);
    if (!Number.isInteger(version) || version < 1)
      throw new ApiError("INVALID_REQUEST", "version must be a positive integer.");
    const { cp, context } = await controlPlane();
    const result = await cp.promoteRollout(context.db, operatorActor(principal), { version });
    if (!result.ok) throw new ApiError(result.code === "NOT_FOUND" ? "NOT_FOUND" : "CONFLICT", result.message);
    void context.reconcileNow();
    return result;
  },
});
