import { apiRoute } from "@/api/api-route.ts";
import { createOperatorToken, listOperatorTokens } from "@/operator-tokens/operator-token-operations.ts";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listOperatorTokens);
export const POST = apiRoute(createOperatorToken);
