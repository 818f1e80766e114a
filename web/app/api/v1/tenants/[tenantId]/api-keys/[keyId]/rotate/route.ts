import { apiRoutes } from "@/api/api-route.ts";
import { rotateApiKey } from "@/keys/api-key-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ POST: rotateApiKey });
