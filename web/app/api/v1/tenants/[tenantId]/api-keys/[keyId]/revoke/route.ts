import { apiRoutes } from "@/api/api-route.ts";
import { revokeApiKey } from "@/keys/api-key-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ POST: revokeApiKey });
