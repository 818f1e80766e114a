import { z } from "zod";
import { defineJob } from "./job-definition.ts";

const actorSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("operator"), operatorId: z.string().min(1) }),
  z.object({ kind: z.literal("system"), name: z.string().min(1) }),
]);

/**
 * Every job the control plane runs. Each is idempotent: running one twice (a retry
 * after a crash) leaves the same state as running it once.
 */
export const jobCatalog = {
  /** Compile, sign and store the next snapshot (unchanged state keeps the latest), then push it. */
  "snapshot.publish": defineJob({
    payload: z.object({ actor: actorSchema, ttlMs: z.number().int().positive().nullable().default(null) }),
    timeoutMs: 120_000,
    attempts: 3,
    backoffMs: 1000,
  }),
  /** Remove data-plane audit events older than each tenant's retention; records what it removed. */
  "audit.retention": defineJob({
    payload: z.object({ now: z.iso.datetime().optional() }),
    timeoutMs: 300_000,
    attempts: 3,
    backoffMs: 5000,
  }),
  /** Build a compliance report (JSON, CSV, PDF) into its Report row. */
  "report.generate": defineJob({
    payload: z.object({ reportId: z.string().min(1) }),
    timeoutMs: 300_000,
    attempts: 2,
    backoffMs: 2000,
  }),
  /** A job for tests of the queue itself. */
  "test.echo": defineJob({
    payload: z.object({ value: z.string(), key: z.string().optional() }),
    timeoutMs: 10_000,
    attempts: 3,
    backoffMs: 10,
  }),
} as const;

export type JobCatalog = typeof jobCatalog;
export type JobName = keyof JobCatalog;
export type JobPayload<N extends JobName> = z.output<JobCatalog[N]["payload"]>;
export type JobPayloadInput<N extends JobName> = z.input<JobCatalog[N]["payload"]>;

export function isJobName(value: string): value is JobName {
  return Object.hasOwn(jobCatalog, value);
}
