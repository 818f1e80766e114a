import { apiRoutes } from "@/api/api-route.ts";
import { setAuditRetention } from "@/tenants/tenant-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ PUT: setAuditRetention });
