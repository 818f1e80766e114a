import { z } from "zod";
import { apiRoute } from "@/api/api-route.ts";
import { ApiError } from "@/api/errors.ts";
import { controlPlane } from "@/control-plane.ts";
import { operatorActor } from "@/fleet/operator-actor.ts";

export const dynamic = "force-dynamic";

/**
 * Rotation step 2: the staged key signs from now on and a snapshot is published; the
 * old key stays announced (trusted) for `overlapSeconds`, and the first publish after
 * that retires it.
 */
export const POST = apiRoute({
  permission: "snapshot:publish",
  body: z.strictObject({
    overlapSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 3600)
      .default(24 * 3600),
  }),
  handler: async ({ principal, body }) => {
    const { cp, context } = await controlPlane();
    try {
      const { activeKid, snapshot } = await context.activateSigningKey(
        operatorActor(principal),
        body.overlapSeconds * 1000,
      );
      return { activeKid, version: snapshot.version, sha256: snapshot.sha256 };
    } catch (error) {
      if (error instanceof cp.NoStagedSigningKeyError) throw new ApiError("CONFLICT", error.message);
      throw error;
    }
  },
});
