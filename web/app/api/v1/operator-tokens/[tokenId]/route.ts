import { apiRoute } from "@/api/api-route.ts";
import { revokeOperatorToken } from "@/operator-tokens/operator-token-operations.ts";

export const dynamic = "force-dynamic";

export const DELETE = apiRoute(revokeOperatorToken);
