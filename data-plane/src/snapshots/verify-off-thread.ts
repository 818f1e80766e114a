import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { SnapshotPayload } from "./schema.ts";
import { type SnapshotRejection, type TrustedKeys, type VerifyResult, verifySnapshot } from "./verify.ts";
import type { VerifyAnswer, VerifyRequest } from "./verify-worker.ts";

/** The worker is stopped after this long without work, so an idle data plane holds no second heap. */
const IDLE_MS = 1_000;
/** Smaller snapshots verify in a few ms: in this thread, without a worker's start-up. */
export const OFF_THREAD_MIN_BYTES = 256 * 1024;

type Waiting = { resolve: (answer: VerifyAnswer) => void; reject: (error: Error) => void };

/**
 * Verifies snapshots on a worker thread: a 10k-key snapshot takes ~100 ms of
 * signature check, parse, validation and hashing, which on the main thread would
 * stall every call in flight. The main thread only parses the validated payload
 * back (a few ms). Should the worker fail to start, verification runs in this
 * thread as before.
 */
export class OffThreadVerifier {
  private worker: Worker | undefined;
  private unavailable = false;
  private answered = 0;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly minBytes = OFF_THREAD_MIN_BYTES) {}

  async verify(jws: string, trusted: TrustedKeys, now = new Date()): Promise<VerifyResult> {
    if (this.unavailable || jws.length < this.minBytes) return verifySnapshot(jws, trusted, now);
    let answer: VerifyAnswer;
    try {
      answer = await this.ask({ id: this.nextId++, jws, jwks: trusted.jwks, nowMs: now.getTime() });
    } catch {
      this.unavailable = true;
      return verifySnapshot(jws, trusted, now);
    }
    if ("crashed" in answer) return verifySnapshot(jws, trusted, now);
    this.answered++;
    if (!answer.ok) return { ok: false, error: answer.error as SnapshotRejection };
    return {
      ok: true,
      snapshot: {
        payload: JSON.parse(answer.payloadText) as SnapshotPayload,
        sha256: answer.sha256,
        kid: answer.kid,
        jws: jws.trim(),
      },
    };
  }

  /** Snapshots the worker thread has verified (for tests). */
  get verifiedOffThread(): number {
    return this.answered;
  }

  /** Stops the worker now (shutdown). */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private ask(request: VerifyRequest): Promise<VerifyAnswer> {
    const worker = this.start();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    return new Promise<VerifyAnswer>((resolve, reject) => {
      this.waiting.set(request.id, { resolve, reject });
      worker.postMessage(request);
    }).finally(() => this.scheduleIdleStop());
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = newWorker();
    worker.unref();
    worker.on("message", (answer: VerifyAnswer) => {
      const waiting = this.waiting.get(answer.id);
      this.waiting.delete(answer.id);
      waiting?.resolve(answer);
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      const all = [...this.waiting.values()];
      this.waiting.clear();
      for (const w of all) w.reject(error);
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`snapshot verifier exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  private scheduleIdleStop(): void {
    if (this.waiting.size > 0) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.waiting.size === 0) void this.close();
    }, IDLE_MS);
    this.idleTimer.unref();
  }
}

/** dist: the compiled worker; sources (tests run them through tsx): the .ts worker behind tsx's loader. */
function newWorker(): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./verify-worker.js", import.meta.url));
  // tsx's ESM entry (require.resolve finds its CommonJS twin next to it).
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const entry = new URL("./verify-worker.ts", import.meta.url).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`,
    { eval: true },
  );
}
