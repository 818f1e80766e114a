import { type JobName, jobCatalog } from "./job-catalog.ts";
import type { JobContext, JobHandlers, JobResult } from "./job-queue.ts";

/**
 * One attempt of one job, the same for both queues: validate the payload against
 * the catalog, find the handler, enforce the catalog's timeout.
 */
export async function runAttempt(
  handlers: JobHandlers,
  name: string,
  rawPayload: unknown,
  context: JobContext,
): Promise<JobResult> {
  if (!Object.hasOwn(jobCatalog, name)) throw new Error(`unknown job ${name}`);
  const jobName = name as JobName;
  const definition = jobCatalog[jobName];
  const handler = handlers[jobName] as ((payload: unknown, context: JobContext) => Promise<JobResult>) | undefined;
  if (!handler) throw new Error(`no handler for job ${name} in this worker`);
  const payload = definition.payload.parse(rawPayload);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`job ${name} timed out after ${definition.timeoutMs} ms`)),
      definition.timeoutMs,
    );
  });
  try {
    return await Promise.race([handler(payload, context), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function backoffFor(name: JobName, attempt: number): number {
  return jobCatalog[name].backoffMs * 2 ** Math.max(0, attempt - 1);
}
