import type { ServerResponse } from "node:http";
import { startEventStream } from "./respond.ts";

/** Whether the client listed text/event-stream in Accept (so it can take a stream answer). */
export function acceptsEventStream(accept: string | undefined): boolean {
  return accept?.toLowerCase().includes("text/event-stream") ?? false;
}

/**
 * A response that becomes `text/event-stream` only when the first message other
 * than the final answer arrives (progress); until then nothing is written, so a
 * plain call stays a single JSON answer.
 */
export class LazySseResponse {
  started = false;
  private eventId = 0;

  constructor(private readonly res: ServerResponse) {}

  send(message: unknown): void {
    if (this.res.destroyed || this.res.writableEnded) return;
    if (!this.started) {
      this.started = true;
      startEventStream(this.res);
    }
    this.res.write(`id: ${++this.eventId}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  /** The final answer as the last event, then the stream ends. */
  finish(body: unknown): void {
    if (body !== undefined) this.send(body);
    if (!this.res.writableEnded) this.res.end();
  }
}
