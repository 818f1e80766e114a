import type { z } from "zod";

/**
 * What a job is, apart from what runs it: its payload schema, how long one attempt
 * may take and how often it is retried. Handlers are bound separately (job-handlers.ts),
 * so the web process can enqueue a job without loading what runs it.
 */
export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  payload: S;
  /** One attempt longer than this fails (and is retried). */
  timeoutMs: number;
  /** Total attempts, the first included. */
  attempts: number;
  /** Delay before a retry, doubled after each failure. */
  backoffMs: number;
};

export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}
