import type { JobName, JobPayload, JobPayloadInput } from "./job-catalog.ts";

export type JobResult = string | number | boolean | null | JobResult[] | { [key: string]: JobResult };

export type JobContext = {
  jobId: string;
  /** 1 on the first attempt. */
  attempt: number;
  /** 0–100; readable through getJob while the job runs. */
  reportProgress(percent: number): Promise<void>;
};

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, context: JobContext) => Promise<JobResult>;
export type JobHandlers = { [N in JobName]?: JobHandler<N> };

export type JobState = "waiting" | "active" | "completed" | "failed";

export type JobInfo = {
  id: string;
  name: JobName;
  state: JobState;
  progress: number;
  /** Attempts started so far (a crashed or failed attempt counts). */
  attemptsStarted: number;
  result: JobResult | undefined;
  error: string | undefined;
};

export type EnqueueOptions = {
  /** Enqueueing the same id twice runs the job once (idempotent enqueue). */
  jobId?: string;
};

export type JobWorker = {
  /** Stops taking jobs. `force` abandons running jobs as a crash would: they are retried elsewhere. */
  close(options?: { force?: boolean }): Promise<void>;
};

/** One interface, two implementations: BullMQ on Redis, or in-process. */
export interface JobQueue {
  readonly kind: "bullmq" | "in-process";
  enqueue<N extends JobName>(name: N, payload: JobPayloadInput<N>, options?: EnqueueOptions): Promise<{ id: string }>;
  /** Runs a job every `everyMs`; scheduling the same key again replaces it. */
  repeat<N extends JobName>(key: string, name: N, payload: JobPayloadInput<N>, everyMs: number): Promise<void>;
  getJob(id: string): Promise<JobInfo | undefined>;
  /** Resolves when the job completed or failed for good. */
  waitUntilFinished(id: string, timeoutMs?: number): Promise<JobInfo>;
  startWorker(handlers: JobHandlers, options?: { concurrency?: number }): JobWorker;
  close(): Promise<void>;
}

export class JobFailedError extends Error {}
