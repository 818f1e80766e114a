import { BullMqJobQueue } from "./bullmq-queue.ts";
import { InProcessJobQueue } from "./in-process-queue.ts";
import type { JobQueue } from "./job-queue.ts";

/** BullMQ on Redis when REDIS_URL is set, the in-process queue otherwise. */
export function createJobQueue(env: NodeJS.ProcessEnv): JobQueue {
  const redisUrl = env.REDIS_URL?.trim();
  if (redisUrl) return new BullMqJobQueue({ redisUrl, prefix: env.ONLY1MCP_REDIS_PREFIX ?? "only1mcp" });
  return new InProcessJobQueue();
}
