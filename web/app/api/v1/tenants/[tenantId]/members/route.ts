import { apiRoutes } from "@/api/api-route.ts";
import { addMember, listMembers } from "@/members/member-operations.ts";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoutes({ GET: listMembers, POST: addMember });
