import { updateSecuritySettingsBody } from "@only1mcp/control-plane/schemas";
import { actorOf, operation, toJson } from "../api/operation.ts";
import { controlPlane } from "../control-plane.ts";

const tag = "Security settings";

export const getSecuritySettings = operation({
  method: "GET",
  path: "/security-settings",
  summary: "The fleet's security settings (the seed's `security:` and `observability:` blocks)",
  tag,
  permission: "security:read",
  async handler() {
    const { cp, context } = await controlPlane();
    return toJson(await cp.getSecuritySettings(context.db));
  },
});

export const putSecuritySettings = operation({
  method: "PUT",
  path: "/security-settings",
  summary:
    "Replace the security settings: the seed's block as written (snake_case), enforced by every data plane from the next publish",
  tag,
  permission: "security:update",
  body: updateSecuritySettingsBody,
  async handler({ body, principal }) {
    const { cp, context } = await controlPlane();
    return toJson(await cp.updateSecuritySettings(context.db, body, actorOf(principal)));
  },
});
