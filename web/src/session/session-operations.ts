import { operations } from "../api/domain-operation.ts";

const operation = operations("Session");

export const signOutEverywhere = operation({
  method: "POST",
  path: "/session/sign-out-everywhere",
  summary: "End every console session of the caller (their own credentials, like their tokens)",
  permission: "operatorToken:delete",
  run: async ({ cp, db, actor, principal }) => ({
    sessionVersion: await cp.signOutEverywhere(db, principal.operator.id, actor),
  }),
});
