import { apiRoutes } from "@/api/api-route.ts";
import { createPolicy, listPolicies } from "@/policies/policy-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ GET: listPolicies, POST: createPolicy });
