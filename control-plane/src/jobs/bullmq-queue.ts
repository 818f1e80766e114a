import { type Job as BullJob, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { type JobName, jobCatalog } from "./job-catalog.ts";
import type { EnqueueOptions, JobHandlers, JobInfo, JobQueue, JobResult, JobState, JobWorker } from "./job-queue.ts";
import { runAttempt } from "./run-attempt.ts";

export type BullMqQueueOptions = {
  redisUrl: string;
  /** Redis key prefix; tests use a random one. */
  prefix?: string;
  queueName?: string;
  /** How long a worker's lock on a job lasts before the job counts as stalled (crashed worker). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
};

const BULL_STATES: Record<string, JobState> = {
  waiting: "waiting",
  "waiting-children": "waiting",
  delayed: "waiting",
  prioritized: "waiting",
  active: "active",
  completed: "completed",
  failed: "failed",
};

/**
 * The queue on Redis (BullMQ). Jobs survive a restart of the control plane; a job
 * whose worker died is detected as stalled once its lock runs out and is run again.
 * Every connection opened here is closed by close().
 */
export class BullMqJobQueue implements JobQueue {
  readonly kind = "bullmq" as const;
  private readonly queue: Queue;
  private readonly connections: Redis[] = [];
  private readonly workers = new Set<JobWorker>();
  private readonly queueName: string;

  constructor(private readonly options: BullMqQueueOptions) {
    this.queueName = options.queueName ?? "only1mcp-jobs";
    const connection = this.connect();
    this.queue = new Queue(this.queueName, { connection, prefix: options.prefix ?? "only1mcp" });
  }

  private connect(): Redis {
    // BullMQ requires maxRetriesPerRequest: null on blocking (worker) connections.
    const connection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    // While Redis is down ioredis reconnects by itself and queued commands wait (jobs
    // resume afterwards); without a listener every failed reconnect is printed as unhandled.
    connection.on("error", () => undefined);
    this.connections.push(connection);
    return connection;
  }

  async enqueue<N extends JobName>(name: N, payload: unknown, options: EnqueueOptions = {}): Promise<{ id: string }> {
    const definition = jobCatalog[name];
    const data = definition.payload.parse(payload);
    const job = await this.queue.add(name, data, {
      ...(options.jobId ? { jobId: options.jobId } : {}),
      attempts: definition.attempts,
      backoff: { type: "exponential", delay: definition.backoffMs },
      removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
    if (!job.id) throw new Error("BullMQ returned a job without id");
    return { id: job.id };
  }

  async repeat<N extends JobName>(key: string, name: N, payload: unknown, everyMs: number): Promise<void> {
    const definition = jobCatalog[name];
    await this.queue.upsertJobScheduler(
      key,
      { every: everyMs },
      {
        name,
        data: definition.payload.parse(payload),
        opts: { attempts: definition.attempts, backoff: { type: "exponential", delay: definition.backoffMs } },
      },
    );
  }

  async getJob(id: string): Promise<JobInfo | undefined> {
    // State first, then the job: a job read before it finished would carry no result.
    const state = await this.queue.getJobState(id);
    const job = await this.queue.getJob(id);
    if (!job || state === "unknown") return undefined;
    return toInfo(job, state);
  }

  async waitUntilFinished(id: string, timeoutMs = 60_000): Promise<JobInfo> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const info = await this.getJob(id);
      if (!info) throw new Error(`no job ${id}`);
      if (info.state === "completed" || info.state === "failed") return info;
      if (Date.now() > deadline) throw new Error(`job ${id} did not finish within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  startWorker(handlers: JobHandlers, options: { concurrency?: number } = {}): JobWorker {
    const connection = this.connect();
    const worker = new Worker(
      this.queueName,
      async (job: BullJob) =>
        runAttempt(handlers, job.name, job.data, {
          jobId: job.id ?? "",
          attempt: job.attemptsStarted,
          reportProgress: (percent) => job.updateProgress(Math.max(0, Math.min(100, Math.round(percent)))),
        }),
      {
        connection,
        prefix: this.options.prefix ?? "only1mcp",
        concurrency: options.concurrency ?? 1,
        lockDuration: this.options.lockDurationMs ?? 30_000,
        stalledInterval: this.options.stalledIntervalMs ?? 30_000,
        maxStalledCount: 1,
      },
    );
    // Failures are recorded on the job; without a listener the emitter would throw.
    worker.on("error", () => undefined);
    const handle: JobWorker = {
      close: async (closeOptions = {}) => {
        this.workers.delete(handle);
        await worker.close(closeOptions.force ?? false);
        await connection.quit().catch(() => undefined);
      },
    };
    this.workers.add(handle);
    return handle;
  }

  async close(): Promise<void> {
    await Promise.all([...this.workers].map((worker) => worker.close({ force: true })));
    await this.queue.close();
    await Promise.all(this.connections.map((connection) => connection.quit().catch(() => undefined)));
  }
}

function toInfo(job: BullJob, rawState: string): JobInfo {
  const progress = typeof job.progress === "number" ? job.progress : 0;
  return {
    id: job.id ?? "",
    name: job.name as JobName,
    state: BULL_STATES[rawState] ?? "waiting",
    progress: rawState === "completed" ? 100 : progress,
    attemptsStarted: job.attemptsStarted,
    result: rawState === "completed" ? (job.returnvalue as JobResult) : undefined,
    error: job.failedReason || undefined,
  };
}
