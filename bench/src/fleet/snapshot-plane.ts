import { mkdirSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { request } from "undici";
import { DATA_PLANE_MAIN, dataPlaneNodeFlags } from "../paths.ts";
import { dataPlaneListening, startProcess } from "../processes.ts";

export type SnapshotPlane = { url: string; pid: number; stop(): Promise<void> };

/** A data plane in snapshot mode (pushed, signed snapshots), trusting the bench's signing key. */
export async function startSnapshotPlane(
  name: string,
  tmpDir: string,
  trustedKeysFile: string,
): Promise<SnapshotPlane> {
  const dir = path.join(tmpDir, name);
  mkdirSync(dir, { recursive: true });
  const { process: plane, port } = await startProcess({
    name,
    command: process.execPath,
    args: [...dataPlaneNodeFlags(), DATA_PLANE_MAIN],
    env: {
      DATA_PLANE_PORT: "0",
      ONLY1MCP_DATA_DIR: dir,
      ONLY1MCP_TRUSTED_KEYS_FILE: trustedKeysFile,
      DATA_PLANE_NAME: name,
    },
    readyLine: dataPlaneListening,
  });
  return { url: `http://127.0.0.1:${port}`, pid: plane.pid, stop: () => plane.stop() };
}

/** PUT a snapshot; resolves with the HTTP status and the client-side latency. */
export async function putSnapshot(url: string, jws: string): Promise<{ status: number; ms: number; body: string }> {
  const t0 = performance.now();
  const response = await request(`${url}/_only1mcp/snapshot`, {
    method: "PUT",
    headers: { "content-type": "application/jose" },
    body: jws,
  });
  const body = await response.body.text();
  return { status: response.statusCode, ms: performance.now() - t0, body };
}

type Status = { snapshotVersion: number | null; upstreams: { state?: string }[] };

export async function planeStatus(url: string): Promise<Status> {
  const response = await request(`${url}/_only1mcp/status`);
  return (await response.body.json()) as Status;
}

/** Waits until the plane reports `version` applied; returns when it saw it (performance.now()). */
export async function waitForVersion(url: string, version: number, timeoutMs = 10_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if ((await planeStatus(url)).snapshotVersion === version) return performance.now();
    await sleep(2);
  }
  throw new Error(`${url} did not apply version ${version} within ${timeoutMs} ms`);
}
