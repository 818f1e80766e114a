import { apiRoutes } from "@/api/api-route.ts";
import { getSecuritySettings, putSecuritySettings } from "@/security/security-settings-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ GET: getSecuritySettings, PUT: putSecuritySettings });
