import { z } from "zod";
import { apiRoute } from "@/api/api-route.ts";
import { ApiError } from "@/api/errors.ts";
import { controlPlane } from "@/control-plane.ts";

export const dynamic = "force-dynamic";

/**
 * Making an older version current is always refused (409): data planes only move
 * forward. Use POST /api/v1/snapshots/restore to republish old content as a new version.
 */
export const POST = apiRoute({
  permission: "snapshot:rollout",
  body: z.object({ toVersion: z.number().int().positive() }),
  handler: async ({ body }) => {
    const { cp, context } = await controlPlane();
    const result = await cp.requestRollback(context.db, { toVersion: body.toVersion });
    if (result.code === "NOT_FOUND") throw new ApiError("NOT_FOUND", result.message);
    throw new ApiError("CONFLICT", result.message, { code: result.code, currentVersion: result.currentVersion });
  },
});
