import { apiRoutes } from "@/api/api-route.ts";
import { listSigningKeys, stageSigningKey } from "@/snapshots/snapshot-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ GET: listSigningKeys, POST: stageSigningKey });
