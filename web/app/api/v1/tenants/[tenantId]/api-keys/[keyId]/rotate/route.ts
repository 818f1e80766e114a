import { apiRoute } from "@/api/api-route.ts";
import { rotateApiKey } from "@/keys/api-key-operations.ts";

export const dynamic = "force-dynamic";

export const POST = apiRoute(rotateApiKey);
