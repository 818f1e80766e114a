import { apiRoute } from "@/api/api-route.ts";
import { createUpstream, listUpstreams } from "@/upstreams/upstream-operations.ts";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listUpstreams);
export const POST = apiRoute(createUpstream);
