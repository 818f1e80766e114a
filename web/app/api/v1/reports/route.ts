import { apiRoutes } from "@/api/api-route.ts";
import { listReports, requestReport } from "@/reports/report-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ GET: listReports, POST: requestReport });
