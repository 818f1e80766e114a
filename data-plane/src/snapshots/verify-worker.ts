// Worker-thread entry (see verify-off-thread.ts): the signature check, JSON parse,
// schema validation and canonical hash of a snapshot run here, off the event loop.
import { parentPort } from "node:worker_threads";
import type { JWK } from "jose";
import { TrustedKeys, verifySnapshot } from "./verify.ts";

export type VerifyRequest = { id: number; jws: string; jwks: readonly JWK[]; nowMs: number };
export type VerifyAnswer =
  | { id: number; ok: true; payloadText: string; sha256: string; kid: string }
  | { id: number; ok: false; error: { code: string; message: string } }
  | { id: number; crashed: string };

let keys: { text: string; trusted: Promise<TrustedKeys> } | undefined;

parentPort?.on("message", (request: VerifyRequest) => {
  void answer(request).then(
    (reply) => parentPort?.postMessage(reply),
    (error: unknown) => parentPort?.postMessage({ id: request.id, crashed: String(error) } satisfies VerifyAnswer),
  );
});

async function answer(request: VerifyRequest): Promise<VerifyAnswer> {
  const text = JSON.stringify(request.jwks);
  if (keys?.text !== text) keys = { text, trusted: TrustedKeys.fromJwks(request.jwks) };
  const result = await verifySnapshot(request.jws, await keys.trusted, new Date(request.nowMs));
  if (!result.ok) return { id: request.id, ok: false, error: result.error };
  const { payload, sha256, kid } = result.snapshot;
  // Text, not a structured clone: JSON.parse on the main thread is the cheapest way back.
  return { id: request.id, ok: true, payloadText: JSON.stringify(payload), sha256, kid };
}
