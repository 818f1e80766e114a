import { operations } from "../api/domain-operation.ts";
import { NO_STORE } from "./no-store.ts";

const operation = operations("Data planes");

export const listNodes = operation({
  method: "GET",
  path: "/nodes",
  summary: "Every registered data plane with its target version and health (in_sync, drift, stale, offline)",
  permission: "fleet:read",
  run: async ({ cp, db }) => Response.json({ nodes: await cp.listFleet(db) }, NO_STORE),
});
