import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordFigures } from "./harness/figures.ts";
import { freePort } from "./harness/private-postgres.ts";
import {
  planeStatus,
  type RunningPlane,
  type SignedPlane,
  signedPlane,
  startPlane,
  waitFor,
} from "./harness/signed-plane.ts";

const SPOOL_CAP_MB = 0.1;
const CAP_BYTES = Math.floor(SPOOL_CAP_MB * 1024 * 1024);
/** RLIMIT_FSIZE of the data plane: any file past this fails with EFBIG, as a full disk fails with ENOSPC. */
const FILE_SIZE_LIMIT = 24 * 1024;

type AuditStats = {
  delivered: number;
  spooled: number;
  droppedSpoolFull: number;
  droppedWriteFailed: number;
  lastSpoolError?: string;
};

async function auditStats(plane: RunningPlane): Promise<AuditStats> {
  const body = (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as { audit?: AuditStats };
  if (!body.audit) throw new Error("status has no audit block");
  return body.audit;
}

/** Requests without credentials: each one is an audit event (authentication deny), and cheap. */
async function unauthenticated(plane: RunningPlane, n: number): Promise<number[]> {
  return Promise.all(
    Array.from({ length: n }, () =>
      fetch(`${plane.url}/mcp`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
      }).then(async (r) => {
        await r.body?.cancel();
        return r.status;
      }),
    ),
  );
}

async function spoolFiles(dir: string): Promise<{ names: string[]; bytes: number }> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const sizes = await Promise.all(names.map(async (n) => (await stat(path.join(dir, n))).size));
  return { names, bytes: sizes.reduce((a, b) => a + b, 0) };
}

// The control plane is unreachable (nothing listens on its port), so every audit
// event goes to the spool, capped at 0.1 MB; the data plane runs under
// `prlimit --fsize` so a large batch cannot be written at all (EFBIG, the way a full
// disk answers ENOSPC).
describe("audit spool's disk full (data plane under RLIMIT_FSIZE, control plane unreachable)", () => {
  let fixture: SignedPlane;
  let plane: RunningPlane;
  let spoolDir: string;

  beforeAll(async () => {
    fixture = await signedPlane([], {
      env: {
        ONLY1MCP_CONTROL_PLANE_URL: `http://127.0.0.1:${await freePort()}`,
        ONLY1MCP_NODE_TOKEN: "chaos-node-token-not-a-secret",
        DATA_PLANE_AUDIT_SPOOL_MAX_MB: String(SPOOL_CAP_MB),
        DATA_PLANE_AUDIT_FLUSH_MS: "1000",
      },
    });
    spoolDir = path.join(fixture.env.DATA_PLANE_STATE_DIR as string, "audit-spool");
    plane = await startPlane(fixture.env, [], ["prlimit", `--fsize=${FILE_SIZE_LIMIT}`]);
    expect((await fixture.push(plane, 1)).status).toBe(200);
  });

  afterAll(async () => {
    await plane?.stop();
    await fixture?.cleanup();
  });

  it("stays under its cap (oldest dropped), loses unwritable batches without crashing, says so, keeps serving", async () => {
    // Phase 1: a steady trickle (small batches) until the cap drops the oldest.
    let sent = 0;
    await waitFor(
      async () => {
        sent += (await unauthenticated(plane, 10)).length;
        await new Promise((resolve) => setTimeout(resolve, 250));
        return (await auditStats(plane)).droppedSpoolFull > 0 ? true : undefined;
      },
      "the spool to reach its cap",
      90_000,
    );
    const atCap = await spoolFiles(spoolDir);
    expect(atCap.bytes).toBeLessThanOrEqual(CAP_BYTES);
    expect(plane.logs.some((l) => l.includes('"audit spool full: oldest events dropped"'))).toBe(true);

    // Phase 2: bursts make batches larger than the process may write: EFBIG.
    await waitFor(
      async () => {
        sent += (await unauthenticated(plane, 400)).length;
        await new Promise((resolve) => setTimeout(resolve, 1200));
        return (await auditStats(plane)).droppedWriteFailed > 0 ? true : undefined;
      },
      "a spool write to fail with EFBIG",
      90_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const stats = await auditStats(plane);
    expect(stats.lastSpoolError).toBe("EFBIG");
    expect(plane.logs.some((l) => l.includes('"audit spool write failed: events dropped"'))).toBe(true);
    // No crash, no partial file, still bounded, still serving.
    expect(plane.proc.exitCode).toBeNull();
    expect((await fetch(`${plane.url}/healthz`)).status).toBe(200);
    const after = await spoolFiles(spoolDir);
    expect(after.names.filter((n) => n.endsWith(".tmp"))).toEqual([]);
    expect(after.bytes).toBeLessThanOrEqual(CAP_BYTES);
    expect((await unauthenticated(plane, 5)).every((status) => status === 401)).toBe(true);
    expect((await planeStatus(plane.url)).snapshotVersion).toBe(1);
    sent += 5;
    // Every event is accounted for: each one spooled or lost to a failed write, and each
    // spooled one still on disk or dropped by the cap.
    const settled = await waitFor(
      async () => {
        const now = await auditStats(plane);
        return now.spooled + now.droppedWriteFailed === sent ? now : undefined;
      },
      "every event to be spooled or counted as lost",
      20_000,
    );
    const final = await spoolFiles(spoolDir);
    const kept = (
      await Promise.all(
        final.names.map(async (n) => (JSON.parse(await readFile(path.join(spoolDir, n), "utf8")) as unknown[]).length),
      )
    ).reduce((a, b) => a + b, 0);
    expect(kept + settled.droppedSpoolFull).toBe(settled.spooled);
    expect(settled.delivered).toBe(0);

    recordFigures({
      "spool cap": `${CAP_BYTES} bytes`,
      "file size limit (RLIMIT_FSIZE)": `${FILE_SIZE_LIMIT} bytes`,
      "events generated": sent,
      "spooled / dropped by cap / lost to EFBIG / on disk": `${settled.spooled} / ${settled.droppedSpoolFull} / ${settled.droppedWriteFailed} / ${kept}`,
      "spool on disk at end (bytes)": after.bytes,
      "data plane alive and serving": true,
    });
  });
});
