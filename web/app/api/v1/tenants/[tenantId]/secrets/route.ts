import { apiRoutes } from "@/api/api-route.ts";
import { listSecrets, storeSecret } from "@/secrets/secret-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ GET: listSecrets, POST: storeSecret });
