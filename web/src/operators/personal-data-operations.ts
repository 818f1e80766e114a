import { operations } from "../api/domain-operation.ts";
import { ApiError } from "../api/errors.ts";
import { NO_STORE } from "../fleet/no-store.ts";

const operation = operations("Operators");

export const exportPersonalData = operation({
  method: "GET",
  path: "/operators/{id}/personal-data",
  summary: "GDPR export of one operator's personal data (owners only)",
  permission: "operator:privacy",
  async run({ cp, db, actor, param }) {
    const data = await cp.exportOperatorData(db, param("id"), actor);
    if (!data) throw new ApiError("NOT_FOUND", "No such operator.");
    return Response.json(data, NO_STORE);
  },
});

export const erasePersonalData = operation({
  method: "DELETE",
  path: "/operators/{id}/personal-data",
  summary: "GDPR erasure of one operator's personal data (owners only; audit records keep the pseudonymous id)",
  permission: "operator:privacy",
  async run({ cp, db, actor, param }) {
    const result = await cp.eraseOperatorData(db, param("id"), actor);
    if (!result?.ok) throw new ApiError("NOT_FOUND", "No such operator.");
    return result;
  },
});
