import { InProcessJobQueue } from "./in-process-queue.ts";
import { describeJobQueueContract } from "./job-queue-contract.ts";

describeJobQueueContract("in-process", () => new InProcessJobQueue({ leaseMs: 300, pollMs: 20 }));
