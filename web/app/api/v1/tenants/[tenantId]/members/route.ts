import { apiRoute } from "@/api/api-route.ts";
import { addMember, listMembers } from "@/members/member-operations.ts";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listMembers);
export const POST = apiRoute(addMember);
