import { ApiError } from "../api/errors.ts";
import { operation, param } from "../api/operation.ts";
import { controlPlane } from "../control-plane.ts";
import { NO_STORE } from "../fleet/no-store.ts";

export const getJob = operation({
  method: "GET",
  path: "/jobs/{id}",
  summary: "A job's state, progress (0–100), attempts and result",
  tag: "Jobs",
  permission: "job:read",
  async handler({ params }) {
    const { context } = await controlPlane();
    const job = await context.jobs.getJob(param(params, "id"));
    if (!job) throw new ApiError("NOT_FOUND", "No such job.");
    return Response.json(job, NO_STORE);
  },
});
