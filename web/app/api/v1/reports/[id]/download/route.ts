import { apiRoutes } from "@/api/api-route.ts";
import { downloadReport } from "@/reports/report-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ GET: downloadReport });
