import { apiRoutes } from "@/api/api-route.ts";
import { getOpenApiDocument } from "@/openapi/openapi-operation.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ GET: getOpenApiDocument });
