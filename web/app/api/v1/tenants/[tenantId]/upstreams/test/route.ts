import { apiRoute } from "@/api/api-route.ts";
import { testUpstreamDefinition } from "@/upstreams/upstream-operations.ts";

export const dynamic = "force-dynamic";

export const POST = apiRoute(testUpstreamDefinition);
