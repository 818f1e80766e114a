import { operation, toJson } from "../api/operation.ts";
import { controlPlane } from "../control-plane.ts";
import { tenantScope } from "../fleet/operator-actor.ts";

const tag = "Compliance reports";

export const listReports = operation({
  method: "GET",
  path: "/reports",
  summary: "Compliance reports, newest first: status, progress (0–100) and each format's sha256",
  tag,
  permission: "report:read",
  async handler({ principal }) {
    const { cp, context } = await controlPlane();
    return toJson({ items: await cp.listReports(context.db, tenantScope(principal)) });
  },
});
