import { apiRoute } from "@/api/api-route.ts";
import { revokeApiKey } from "@/keys/api-key-operations.ts";

export const dynamic = "force-dynamic";

export const POST = apiRoute(revokeApiKey);
