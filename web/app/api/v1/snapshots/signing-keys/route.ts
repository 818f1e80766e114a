import { z } from "zod";
import { apiRoute } from "@/api/api-route.ts";
import { controlPlane } from "@/control-plane.ts";
import { operatorActor } from "@/fleet/operator-actor.ts";

export const dynamic = "force-dynamic";

/** The signing keys: active, staged next, retired (with the end of their overlap), announced. */
export const GET = apiRoute({
  permission: "snapshot:read",
  handler: async () => {
    const { cp, context } = await controlPlane();
    return cp.listSigningKeys(context.dataDir, context.signingKey);
  },
});

/**
 * Rotation step 1: stage the next signing key and publish, so every data plane trusts
 * it (announced by a snapshot the current key signs) before it signs anything.
 */
export const POST = apiRoute({
  permission: "snapshot:publish",
  body: z.strictObject({}),
  handler: async ({ principal }) => {
    const { context } = await controlPlane();
    const { nextKid, snapshot } = await context.stageSigningKey(operatorActor(principal));
    return { nextKid, version: snapshot.version, sha256: snapshot.sha256 };
  },
});
