import { apiRoutes } from "@/api/api-route.ts";
import { verifyAuditChains } from "@/audit/audit-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ GET: verifyAuditChains });
