"use server";

import { type ActionResult, authorisedAction } from "../api/server-action.ts";
import { controlPlane } from "../control-plane.ts";

export type PublishState = { version: number | null; createdAt: string | null; pending: boolean };

/** Whether stored changes wait for a publish (any operator who may read the dashboard). */
export async function getPublishState(): Promise<ActionResult<PublishState>> {
  return authorisedAction("dashboard:read", undefined, async () => {
    const { cp, context } = await controlPlane();
    const state = await cp.publishState(context.db, {
      secretsKey: context.secretsKey,
      trustedKeys: await cp.trustedPublicKeys(context.dataDir, context.signingKey),
    });
    return {
      version: state.current?.version ?? null,
      createdAt: state.current?.createdAt.toISOString() ?? null,
      pending: state.pending,
    };
  });
}

/** Compiles, signs and pushes the current configuration (the control plane's publish). */
export async function publishNow(): Promise<ActionResult<{ version: number; created: boolean }>> {
  return authorisedAction("snapshot:publish", undefined, async (principal) => {
    const { context } = await controlPlane();
    const snapshot = await context.publish({ kind: "operator", operatorId: principal.operator.id });
    return { version: snapshot.version, created: snapshot.created };
  });
}
