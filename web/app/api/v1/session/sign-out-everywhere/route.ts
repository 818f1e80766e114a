import { apiRoute } from "@/api/api-route.ts";
import { signOutEverywhere } from "@/session/session-operations.ts";

export const dynamic = "force-dynamic";

export const POST = apiRoute(signOutEverywhere);
