import { randomUUID } from "node:crypto";
import { ApiError, errorResponse } from "@/api/errors.ts";

export const dynamic = "force-dynamic";

/**
 * Any /api/v1 path no route claims: the error contract's 404 JSON envelope instead
 * of Next's HTML page. Specific routes always win over this catch-all.
 */
function notFound(): Response {
  return errorResponse(new ApiError("NOT_FOUND", "No such API route."), `req_${randomUUID().replaceAll("-", "")}`);
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
