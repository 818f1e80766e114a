import { apiRoutes } from "@/api/api-route.ts";
import { createOperatorToken, listOperatorTokens } from "@/operator-tokens/operator-token-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ GET: listOperatorTokens, POST: createOperatorToken });
