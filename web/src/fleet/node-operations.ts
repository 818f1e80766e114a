import { operation } from "../api/operation.ts";
import { controlPlane } from "../control-plane.ts";
import { NO_STORE } from "./no-store.ts";

export const listNodes = operation({
  method: "GET",
  path: "/nodes",
  summary: "Every registered data plane with its target version and health (in_sync, drift, stale, offline)",
  tag: "Data planes",
  permission: "fleet:read",
  async handler() {
    const { cp, context } = await controlPlane();
    return Response.json({ nodes: await cp.listFleet(context.db) }, NO_STORE);
  },
});
