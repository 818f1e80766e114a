import { apiRoute } from "@/api/api-route.ts";
import { deletePolicy, updatePolicy } from "@/policies/policy-operations.ts";

export const dynamic = "force-dynamic";

export const PATCH = apiRoute(updatePolicy);
export const DELETE = apiRoute(deletePolicy);
