import { updateSecuritySettingsBody } from "@only1mcp/control-plane/schemas";
import { operations } from "../api/domain-operation.ts";

const operation = operations("Security settings");

export const getSecuritySettings = operation({
  method: "GET",
  path: "/security-settings",
  summary: "The fleet's security settings (the seed's `security:` and `observability:` blocks)",
  permission: "security:read",
  run: async ({ cp, db }) => cp.getSecuritySettings(db),
});

export const putSecuritySettings = operation({
  method: "PUT",
  path: "/security-settings",
  summary:
    "Replace the security settings: the seed's block as written (snake_case), enforced by every data plane from the next publish",
  permission: "security:update",
  body: updateSecuritySettingsBody,
  run: async ({ cp, db, body, actor }) => cp.updateSecuritySettings(db, body, actor),
});
