import { apiRoutes } from "@/api/api-route.ts";
import { createTenant, listTenants } from "@/tenants/tenant-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ GET: listTenants, POST: createTenant });
