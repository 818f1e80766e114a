import { apiRoutes } from "@/api/api-route.ts";
import { getReport } from "@/reports/report-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ GET: getReport });
