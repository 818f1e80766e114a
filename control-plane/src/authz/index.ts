// The pure authorisation module: no database, no Node APIs, so the console's browser
// bundle imports it too (`@only1mcp/control-plane/authz`).
export {
  type AppAbility,
  Authz,
  type AuthzDecision,
  type AuthzInput,
  type AuthzTarget,
  authorize,
  defineAbility,
  narrowGrants,
} from "./abilities.ts";
export {
  ACTIONS,
  type Action,
  isPermission,
  OPERATOR_ROLES,
  type OperatorRole,
  type OperatorRoleGrant,
  PERMISSIONS,
  type Permission,
  READ_ACTIONS,
  SUBJECTS,
  type Subject,
} from "./permissions.ts";
