import { apiRoutes } from "@/api/api-route.ts";
import { dryRunPolicy } from "@/policies/policy-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ POST: dryRunPolicy });
