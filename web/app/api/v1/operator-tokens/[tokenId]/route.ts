import { apiRoutes } from "@/api/api-route.ts";
import { revokeOperatorToken } from "@/operator-tokens/operator-token-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ DELETE: revokeOperatorToken });
