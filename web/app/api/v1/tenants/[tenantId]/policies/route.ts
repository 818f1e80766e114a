import { apiRoute } from "@/api/api-route.ts";
import { createPolicy, listPolicies } from "@/policies/policy-operations.ts";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listPolicies);
export const POST = apiRoute(createPolicy);
