import { apiRoutes } from "@/api/api-route.ts";
import { removeMember, updateMember } from "@/members/member-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ PATCH: updateMember, DELETE: removeMember });
