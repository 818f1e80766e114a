import { apiRoutes } from "@/api/api-route.ts";
import { erasePersonalData, exportPersonalData } from "@/operators/personal-data-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ GET: exportPersonalData, DELETE: erasePersonalData });
