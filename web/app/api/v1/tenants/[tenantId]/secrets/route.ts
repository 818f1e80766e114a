import { apiRoute } from "@/api/api-route.ts";
import { listSecrets, storeSecret } from "@/secrets/secret-operations.ts";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listSecrets);
export const POST = apiRoute(storeSecret);
