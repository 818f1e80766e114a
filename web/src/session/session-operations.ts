import { operation, toJson } from "../api/operation.ts";
import { controlPlane } from "../control-plane.ts";

export const signOutEverywhere = operation({
  method: "POST",
  path: "/session/sign-out-everywhere",
  summary: "End every console session of the caller (their own credentials, like their tokens)",
  tag: "Session",
  permission: "operatorToken:delete",
  async handler({ principal }) {
    const { cp, context } = await controlPlane();
    const actor = { kind: "operator" as const, operatorId: principal.operator.id };
    const sessionVersion = await cp.signOutEverywhere(context.db, principal.operator.id, actor);
    return toJson({ sessionVersion });
  },
});
