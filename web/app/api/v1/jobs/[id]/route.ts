import { apiRoute } from "@/api/api-route.ts";
import { ApiError } from "@/api/errors.ts";
import { controlPlane } from "@/control-plane.ts";
import { NO_STORE } from "@/fleet/no-store.ts";

export const dynamic = "force-dynamic";

/** A job's state, progress (0–100), attempts and result. */
export const GET = apiRoute({
  permission: "job:read",
  handler: async ({ params }) => {
    const { context } = await controlPlane();
    const job = typeof params.id === "string" ? await context.jobs.getJob(params.id) : undefined;
    if (!job) throw new ApiError("NOT_FOUND", "No such job.");
    return Response.json(job, NO_STORE);
  },
});
