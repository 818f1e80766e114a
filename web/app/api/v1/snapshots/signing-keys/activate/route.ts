import { apiRoutes } from "@/api/api-route.ts";
import { activateSigningKey } from "@/snapshots/snapshot-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ POST: activateSigningKey });
