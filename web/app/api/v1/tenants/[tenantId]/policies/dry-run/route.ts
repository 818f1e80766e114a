import { apiRoute } from "@/api/api-route.ts";
import { dryRunPolicy } from "@/policies/policy-operations.ts";

export const dynamic = "force-dynamic";

export const POST = apiRoute(dryRunPolicy);
