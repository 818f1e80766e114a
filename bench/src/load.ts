// A closed-loop load generator: `concurrency` workers each send one request at a
// time over keep-alive connections (undici Pool, one connection per worker) for a
// fixed duration, recording latencies. A reply counts only when it is HTTP 200 and
// carries a JSON-RPC result, so a gateway answering errors fast cannot look good.
import { Pool } from "undici";
import { percentile } from "./stats.ts";

export type LoadResult = {
  requests: number;
  errors: number;
  seconds: number;
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  /** The first failed reply, to explain a failed scenario. */
  firstError?: string;
};

export type Target = {
  url: string;
  headers: Record<string, string>;
  body: (i: number) => string;
};

export async function runLoad(
  target: Target,
  options: { concurrency: number; durationMs: number },
): Promise<LoadResult> {
  const url = new URL(target.url);
  const pool = new Pool(url.origin, { connections: options.concurrency, pipelining: 1 });
  const path = `${url.pathname}${url.search}`;
  const headers = { "content-type": "application/json", ...target.headers };
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let sequence = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  async function worker(): Promise<void> {
    while (performance.now() < deadline) {
      const body = target.body(sequence++);
      const t0 = performance.now();
      try {
        const response = await pool.request({ path, method: "POST", headers, body });
        const text = await response.body.text();
        if (response.statusCode === 200 && text.includes('"result"')) {
          latencies.push(performance.now() - t0);
          continue;
        }
        firstError ??= `HTTP ${response.statusCode}: ${text.slice(0, 200)}`;
      } catch (error) {
        firstError ??= (error as Error).message;
      }
      errors++;
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    seconds,
    throughput: latencies.length / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    ...(firstError === undefined ? {} : { firstError }),
  };
}
