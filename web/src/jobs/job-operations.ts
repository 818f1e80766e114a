import { operations } from "../api/domain-operation.ts";
import { ApiError } from "../api/errors.ts";
import { NO_STORE } from "../fleet/no-store.ts";

const operation = operations("Jobs");

export const getJob = operation({
  method: "GET",
  path: "/jobs/{id}",
  summary: "A job's state, progress (0–100), attempts and result",
  permission: "job:read",
  async run({ context, param }) {
    const job = await context.jobs.getJob(param("id"));
    if (!job) throw new ApiError("NOT_FOUND", "No such job.");
    return Response.json(job, NO_STORE);
  },
});
