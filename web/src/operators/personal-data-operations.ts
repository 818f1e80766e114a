import { ApiError } from "../api/errors.ts";
import { operation, param } from "../api/operation.ts";
import { controlPlane } from "../control-plane.ts";
import { NO_STORE } from "../fleet/no-store.ts";
import { operatorActor } from "../fleet/operator-actor.ts";

const tag = "Operators";

export const exportPersonalData = operation({
  method: "GET",
  path: "/operators/{id}/personal-data",
  summary: "GDPR export of one operator's personal data (owners only)",
  tag,
  permission: "operator:privacy",
  async handler({ principal, params }) {
    const { cp, context } = await controlPlane();
    const data = await cp.exportOperatorData(context.db, param(params, "id"), operatorActor(principal));
    if (!data) throw new ApiError("NOT_FOUND", "No such operator.");
    return Response.json(data, NO_STORE);
  },
});

export const erasePersonalData = operation({
  method: "DELETE",
  path: "/operators/{id}/personal-data",
  summary: "GDPR erasure of one operator's personal data (owners only; audit records keep the pseudonymous id)",
  tag,
  permission: "operator:privacy",
  async handler({ principal, params }) {
    const { cp, context } = await controlPlane();
    const result = await cp.eraseOperatorData(context.db, param(params, "id"), operatorActor(principal));
    if (!result?.ok) throw new ApiError("NOT_FOUND", "No such operator.");
    return result;
  },
});
