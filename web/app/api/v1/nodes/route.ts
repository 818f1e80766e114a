import { apiRoutes } from "@/api/api-route.ts";
import { listNodes } from "@/fleet/node-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ GET: listNodes });
