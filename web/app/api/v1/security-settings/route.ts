import { apiRoute } from "@/api/api-route.ts";
import { getSecuritySettings, putSecuritySettings } from "@/security/security-settings-operations.ts";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getSecuritySettings);
export const PUT = apiRoute(putSecuritySettings);
