import { apiRoutes } from "@/api/api-route.ts";
import { getCurrent } from "@/snapshots/snapshot-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ GET: getCurrent });
