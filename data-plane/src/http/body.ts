import type { IncomingMessage } from "node:http";

export type BodyResult =
  | { ok: true; body: Buffer }
  /** `drained`: the rest of the body was read and dropped, so the connection can answer and stay usable. */
  | { ok: false; tooLarge: true; drained: boolean }
  | { ok: false; aborted: true };

/** Past this, an oversized upload is not read to its end: the answer comes at once and the connection closes. */
const DRAIN_CAP = 64 * 1024 * 1024;

/**
 * Reads the whole request body, keeping at most `limit` bytes. An oversized body is
 * read and dropped (up to DRAIN_CAP) so the client sees the 413 instead of a reset.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  if (declared > DRAIN_CAP) return Promise.resolve({ ok: false, tooLarge: true, drained: false });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    // Plain listeners removed in one place rather than `once` (a wrapper and its state per
    // listener, three per request on the hot path).
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onAborted);
      req.off("aborted", onAborted);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_CAP) finish({ ok: false, tooLarge: true, drained: false });
      else if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    };
    const onEnd = () => {
      if (size > limit) finish({ ok: false, tooLarge: true, drained: true });
      else finish({ ok: true, body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks) });
    };
    const onAborted = () => finish({ ok: false, aborted: true });
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onAborted);
    req.on("aborted", onAborted);
  });
}
