import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { type JobName, jobCatalog } from "./job-catalog.ts";
import type { EnqueueOptions, JobHandlers, JobInfo, JobQueue, JobResult, JobState, JobWorker } from "./job-queue.ts";
import { backoffFor, runAttempt } from "./run-attempt.ts";

type Entry = {
  id: string;
  name: JobName;
  payload: unknown;
  state: JobState;
  progress: number;
  attemptsStarted: number;
  result: JobResult | undefined;
  error: string | undefined;
  availableAt: number;
  /** Who runs it and until when; a lease that runs out (a crashed worker) frees the job. */
  lease: { workerId: string; expiresAt: number } | undefined;
};

export type InProcessQueueOptions = { leaseMs?: number; pollMs?: number };

/**
 * The queue without Redis, with BullMQ's semantics: validated payloads, idempotent
 * enqueue by id, retries with backoff, a timeout per attempt, and leases so that a
 * job whose worker stopped mid-run (force close) is run again by another worker.
 * State lives in this process: jobs do not survive a restart (BullMQ's do).
 */
export class InProcessJobQueue implements JobQueue {
  readonly kind = "in-process" as const;
  private readonly jobs = new Map<string, Entry>();
  private readonly events = new EventEmitter();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly workers = new Set<{ close(options?: { force?: boolean }): Promise<void> }>();
  private readonly leaseMs: number;
  private readonly pollMs: number;

  constructor(options: InProcessQueueOptions = {}) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 100;
    this.events.setMaxListeners(0);
  }

  async enqueue<N extends JobName>(name: N, payload: unknown, options: EnqueueOptions = {}): Promise<{ id: string }> {
    const parsed = jobCatalog[name].payload.parse(payload);
    const id = options.jobId ?? randomUUID();
    if (!this.jobs.has(id)) {
      this.jobs.set(id, {
        id,
        name,
        payload: parsed,
        state: "waiting",
        progress: 0,
        attemptsStarted: 0,
        result: undefined,
        error: undefined,
        availableAt: Date.now(),
        lease: undefined,
      });
      this.events.emit("enqueued");
    }
    return { id };
  }

  async repeat<N extends JobName>(key: string, name: N, payload: unknown, everyMs: number): Promise<void> {
    jobCatalog[name].payload.parse(payload);
    clearInterval(this.timers.get(key));
    const timer = setInterval(() => {
      void this.enqueue(name, payload, { jobId: `repeat-${key}-${Math.floor(Date.now() / everyMs)}` });
    }, everyMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  async getJob(id: string): Promise<JobInfo | undefined> {
    const entry = this.jobs.get(id);
    if (!entry) return undefined;
    const { payload: _payload, availableAt: _at, lease: _lease, ...info } = entry;
    return { ...info };
  }

  async waitUntilFinished(id: string, timeoutMs = 60_000): Promise<JobInfo> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const info = await this.getJob(id);
      if (!info) throw new Error(`no job ${id}`);
      if (info.state === "completed" || info.state === "failed") return info;
      if (Date.now() > deadline) throw new Error(`job ${id} did not finish within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.events.off(`finished:${id}`, done);
          resolve();
        };
        const timer = setTimeout(done, this.pollMs);
        this.events.on(`finished:${id}`, done);
      });
    }
  }

  startWorker(handlers: JobHandlers, options: { concurrency?: number } = {}): JobWorker {
    const workerId = randomUUID();
    const concurrency = options.concurrency ?? 1;
    const running = new Map<string, Promise<void>>();
    let closed = false;
    let abandoned = false;

    const claim = (): Entry | undefined => {
      const now = Date.now();
      for (const entry of this.jobs.values()) {
        const free = entry.state === "waiting" && entry.availableAt <= now;
        const orphaned = entry.state === "active" && entry.lease !== undefined && entry.lease.expiresAt <= now;
        if (free || orphaned) return entry;
      }
      return undefined;
    };

    const run = async (entry: Entry): Promise<void> => {
      entry.state = "active";
      entry.attemptsStarted += 1;
      const attempt = entry.attemptsStarted;
      const owns = () => !abandoned && entry.lease?.workerId === workerId && entry.attemptsStarted === attempt;
      entry.lease = { workerId, expiresAt: Date.now() + this.leaseMs };
      const renew = setInterval(() => {
        if (owns() && entry.lease) entry.lease.expiresAt = Date.now() + this.leaseMs;
      }, this.leaseMs / 3);
      try {
        const result = await runAttempt(handlers, entry.name, entry.payload, {
          jobId: entry.id,
          attempt,
          reportProgress: async (percent) => {
            if (owns()) entry.progress = Math.max(0, Math.min(100, Math.round(percent)));
          },
        });
        if (!owns()) return;
        Object.assign(entry, { state: "completed", result, error: undefined, lease: undefined, progress: 100 });
        this.events.emit(`finished:${entry.id}`);
      } catch (error) {
        if (!owns()) return;
        entry.error = (error as Error).message;
        entry.lease = undefined;
        if (attempt < jobCatalog[entry.name].attempts) {
          entry.state = "waiting";
          entry.availableAt = Date.now() + backoffFor(entry.name, attempt);
        } else {
          entry.state = "failed";
          this.events.emit(`finished:${entry.id}`);
        }
      } finally {
        clearInterval(renew);
      }
    };

    const tick = () => {
      if (closed) return;
      while (running.size < concurrency) {
        const entry = claim();
        if (!entry) break;
        const task = run(entry).finally(() => {
          running.delete(entry.id);
          setImmediate(tick);
        });
        running.set(entry.id, task);
      }
    };
    const onEnqueued = () => setImmediate(tick);
    this.events.on("enqueued", onEnqueued);
    const poll = setInterval(tick, this.pollMs);
    setImmediate(tick);

    const worker = {
      close: async (closeOptions: { force?: boolean } = {}) => {
        if (closed) return;
        closed = true;
        clearInterval(poll);
        this.events.off("enqueued", onEnqueued);
        this.workers.delete(worker);
        if (closeOptions.force) abandoned = true;
        else await Promise.allSettled(running.values());
      },
    };
    this.workers.add(worker);
    return worker;
  }

  async close(): Promise<void> {
    for (const timer of this.timers.values()) clearInterval(timer);
    this.timers.clear();
    await Promise.all([...this.workers].map((worker) => worker.close({ force: true })));
  }
}
