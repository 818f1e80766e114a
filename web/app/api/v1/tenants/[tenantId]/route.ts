import { apiRoute } from "@/api/api-route.ts";
import { deleteTenant, getTenant, updateTenant } from "@/tenants/tenant-operations.ts";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getTenant);
export const PATCH = apiRoute(updateTenant);
export const DELETE = apiRoute(deleteTenant);
