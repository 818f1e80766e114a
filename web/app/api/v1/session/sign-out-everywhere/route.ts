import { apiRoutes } from "@/api/api-route.ts";
import { signOutEverywhere } from "@/session/session-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ POST: signOutEverywhere });
