import { apiRoutes } from "@/api/api-route.ts";
import { createApiKey, listApiKeys } from "@/keys/api-key-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ GET: listApiKeys, POST: createApiKey });
