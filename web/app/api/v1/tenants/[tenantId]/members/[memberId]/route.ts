import { apiRoute } from "@/api/api-route.ts";
import { removeMember, updateMember } from "@/members/member-operations.ts";

export const dynamic = "force-dynamic";

export const PATCH = apiRoute(updateMember);
export const DELETE = apiRoute(removeMember);
