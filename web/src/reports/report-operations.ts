import { operation, toJson } from "../api/operation.ts";
import { controlPlane } from "../control-plane.ts";

const tag = "Compliance reports";

export const listReports = operation({
  method: "GET",
  path: "/reports",
  summary: "Compliance reports, newest first: status, progress (0–100) and each format's sha256",
  tag,
  permission: "report:read",
  async handler({ authz }) {
    const { cp, context } = await controlPlane();
    return toJson({ items: await cp.listReports(context.db, { tenantIds: authz.tenantScope("report:read") }) });
  },
});
