import { apiRoute } from "@/api/api-route.ts";
import { setAuditRetention } from "@/tenants/tenant-operations.ts";

export const dynamic = "force-dynamic";

export const PUT = apiRoute(setAuditRetention);
