// The contract both queues must meet; run against each by its own test file.
import { afterEach, describe, expect, it } from "vitest";
import type { JobQueue } from "./job-queue.ts";

export function describeJobQueueContract(name: string, create: () => JobQueue): void {
  describe(`job queue contract: ${name}`, () => {
    const opened: JobQueue[] = [];
    const open = () => {
      const queue = create();
      opened.push(queue);
      return queue;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((queue) => queue.close()));
    });

    it("runs a job with its validated payload and keeps the result", async () => {
      const queue = open();
      queue.startWorker({ "test.echo": async (payload) => ({ echoed: payload.value }) });
      const { id } = await queue.enqueue("test.echo", { value: "hello" });
      const info = await queue.waitUntilFinished(id);
      expect(info).toMatchObject({ state: "completed", result: { echoed: "hello" }, attemptsStarted: 1 });
    });

    it("refuses a payload that does not match the catalog", async () => {
      const queue = open();
      await expect(queue.enqueue("test.echo", { value: 42 } as unknown as { value: string })).rejects.toThrow();
    });

    it("enqueues the same job id once", async () => {
      const queue = open();
      let runs = 0;
      queue.startWorker({
        "test.echo": async () => {
          runs += 1;
          return runs;
        },
      });
      const first = await queue.enqueue("test.echo", { value: "a" }, { jobId: "once-1" });
      await queue.waitUntilFinished(first.id);
      const second = await queue.enqueue("test.echo", { value: "a" }, { jobId: "once-1" });
      expect(second.id).toBe(first.id);
      expect((await queue.waitUntilFinished(second.id)).result).toBe(1);
      expect(runs).toBe(1);
    });

    it("retries a failed attempt, then fails for good after the catalog's attempts", async () => {
      const queue = open();
      queue.startWorker({
        "test.echo": async (payload, context) => {
          if (payload.value === "flaky" && context.attempt < 2) throw new Error("first attempt fails");
          if (payload.value === "broken") throw new Error("always fails");
          return context.attempt;
        },
      });
      const flaky = await queue.enqueue("test.echo", { value: "flaky" });
      expect(await queue.waitUntilFinished(flaky.id)).toMatchObject({ state: "completed", result: 2 });
      const broken = await queue.enqueue("test.echo", { value: "broken" });
      expect(await queue.waitUntilFinished(broken.id)).toMatchObject({
        state: "failed",
        error: "always fails",
        attemptsStarted: 3,
      });
    });

    it("reports progress while a job runs", async () => {
      const queue = open();
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let reported: () => void = () => undefined;
      const progressed = new Promise<void>((resolve) => {
        reported = resolve;
      });
      queue.startWorker({
        "test.echo": async (_payload, context) => {
          await context.reportProgress(40);
          reported();
          await gate;
          return "done";
        },
      });
      const { id } = await queue.enqueue("test.echo", { value: "slow" });
      await progressed;
      expect(await queue.getJob(id)).toMatchObject({ state: "active", progress: 40 });
      release();
      expect(await queue.waitUntilFinished(id)).toMatchObject({ state: "completed", progress: 100 });
    });

    it("runs a job again on another worker when its worker crashes mid-run", async () => {
      const queue = open();
      let started: () => void = () => undefined;
      const firstStarted = new Promise<void>((resolve) => {
        started = resolve;
      });
      const hang = new Promise<string>(() => undefined);
      const crashing = queue.startWorker({
        "test.echo": async () => {
          started();
          return hang;
        },
      });
      const { id } = await queue.enqueue("test.echo", { value: "crash" });
      await firstStarted;
      await crashing.close({ force: true });
      queue.startWorker({ "test.echo": async (_payload, context) => `recovered on attempt ${context.attempt}` });
      const info = await queue.waitUntilFinished(id, 30_000);
      expect(info.state).toBe("completed");
      expect(info.result).toMatch(/^recovered on attempt/);
      expect(info.attemptsStarted).toBeGreaterThanOrEqual(2);
    });
  });
}
