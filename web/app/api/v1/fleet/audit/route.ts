import { routeMethods } from "@/api/route-methods.ts";
import { controlPlane } from "@/control-plane.ts";
import { fleetRoute } from "@/fleet/fleet-route.ts";

export const dynamic = "force-dynamic";

/** A data plane ships a batch of audit events (AuditBatchV1); stored once per event id. */
export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  POST: fleetRoute({
    body: (cp) => cp.auditBatchV1Schema,
    maxBodyBytes: 16 * 1024 * 1024,
    handler: async (batch) => {
      const { cp, context } = await controlPlane();
      return cp.ingestAuditBatch(context.db, batch);
    },
  }),
});
