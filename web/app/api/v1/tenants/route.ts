import { apiRoute } from "@/api/api-route.ts";
import { createTenant, listTenants } from "@/tenants/tenant-operations.ts";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listTenants);
export const POST = apiRoute(createTenant);
