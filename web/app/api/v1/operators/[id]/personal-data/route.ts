import { apiRoute } from "@/api/api-route.ts";
import { ApiError } from "@/api/errors.ts";
import { controlPlane } from "@/control-plane.ts";
import { NO_STORE } from "@/fleet/no-store.ts";
import { operatorActor } from "@/fleet/operator-actor.ts";

export const dynamic = "force-dynamic";

/** GDPR export of one operator's personal data (owners only). */
export const GET = apiRoute({
  permission: "operator:privacy",
  handler: async ({ principal, params }) => {
    const { cp, context } = await controlPlane();
    const data =
      typeof params.id === "string"
        ? await cp.exportOperatorData(context.db, params.id, operatorActor(principal))
        : undefined;
    if (!data) throw new ApiError("NOT_FOUND", "No such operator.");
    return Response.json(data, NO_STORE);
  },
});

/** GDPR erasure of one operator's personal data (owners only; audit records keep the pseudonymous id). */
export const DELETE = apiRoute({
  permission: "operator:privacy",
  handler: async ({ principal, params }) => {
    const { cp, context } = await controlPlane();
    const result =
      typeof params.id === "string"
        ? await cp.eraseOperatorData(context.db, params.id, operatorActor(principal))
        : undefined;
    if (!result?.ok) throw new ApiError("NOT_FOUND", "No such operator.");
    return result;
  },
});
