import { apiRoute } from "@/api/api-route.ts";
import { controlPlane } from "@/control-plane.ts";
import { NO_STORE } from "@/fleet/no-store.ts";

export const dynamic = "force-dynamic";

/** Every registered data plane with its target version and health (in_sync, drift, stale, offline). */
export const GET = apiRoute({
  permission: "fleet:read",
  handler: async () => {
    const { cp, context } = await controlPlane();
    return Response.json({ nodes: await cp.listFleet(context.db) }, NO_STORE);
  },
});
