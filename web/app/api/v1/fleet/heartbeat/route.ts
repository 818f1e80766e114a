import { routeMethods } from "@/api/route-methods.ts";
import { controlPlane } from "@/control-plane.ts";
import { fleetRoute } from "@/fleet/fleet-route.ts";

export const dynamic = "force-dynamic";

/** A data plane registers and reports what it runs (node token). */
export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({
  POST: fleetRoute({
    body: (cp) => cp.heartbeatV1Schema,
    maxBodyBytes: 2 * 1024 * 1024,
    handler: async (beat) => {
      const { cp, context } = await controlPlane();
      const answer = await cp.recordHeartbeat(context.db, beat, { secretsKey: context.secretsKey });
      // A node behind its target gets it now rather than on the next reconcile tick.
      if (answer.targetVersion !== null && (beat.snapshotVersion ?? 0) < answer.targetVersion)
        void context.reconcileNow();
      return answer;
    },
  }),
});
