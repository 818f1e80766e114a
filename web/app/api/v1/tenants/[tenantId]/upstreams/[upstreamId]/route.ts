import { apiRoute } from "@/api/api-route.ts";
import { deleteUpstream, updateUpstream } from "@/upstreams/upstream-operations.ts";

export const dynamic = "force-dynamic";

export const PATCH = apiRoute(updateUpstream);
export const DELETE = apiRoute(deleteUpstream);
