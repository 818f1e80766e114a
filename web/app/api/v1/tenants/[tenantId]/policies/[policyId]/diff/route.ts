import { apiRoute } from "@/api/api-route.ts";
import { diffPolicy } from "@/policies/policy-operations.ts";

export const dynamic = "force-dynamic";

export const POST = apiRoute(diffPolicy);
