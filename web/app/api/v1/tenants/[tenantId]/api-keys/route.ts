import { apiRoute } from "@/api/api-route.ts";
import { createApiKey, listApiKeys } from "@/keys/api-key-operations.ts";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listApiKeys);
export const POST = apiRoute(createApiKey);
