import { apiRoutes } from "@/api/api-route.ts";
import { testUpstreamDefinition } from "@/upstreams/upstream-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ POST: testUpstreamDefinition });
