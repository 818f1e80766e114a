import { apiRoutes } from "@/api/api-route.ts";
import { deleteTenant, getTenant, updateTenant } from "@/tenants/tenant-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({
  GET: getTenant,
  PATCH: updateTenant,
  DELETE: deleteTenant,
});
