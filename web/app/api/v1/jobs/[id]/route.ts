import { apiRoutes } from "@/api/api-route.ts";
import { getJob } from "@/jobs/job-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ GET: getJob });
