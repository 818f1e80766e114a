import { randomUUID } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AuditEventV1 } from "./audit-event-schema.ts";
import { AuditSpool } from "./audit-spool.ts";

const event = (): AuditEventV1 => ({
  id: randomUUID(),
  time: new Date().toISOString(),
  nodeId: "n",
  tenantId: "t",
  keyId: "k",
  kind: "call",
  method: "tools/call",
  server: "s",
  tool: "s__x",
  originalTool: "x",
  decision: "allow",
  code: "OK",
  latencyMs: 1,
  argsSha256: null,
  clientAddress: null,
});

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("audit spool", () => {
  it("keeps batches oldest first, files 0600, and drops the oldest past its bound", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "spool-"));
    const spool = new AuditSpool(path.join(dir, "s"), 2500);
    const batches = [0, 1, 2, 3].map(() => [event(), event(), event()]);
    let dropped = 0;
    for (const b of batches) {
      dropped += (await spool.write(b)).dropped;
      await new Promise((r) => setTimeout(r, 2));
    }
    const files = await spool.list();
    expect(dropped).toBeGreaterThan(0);
    expect(files.length).toBeLessThan(4);
    const last = await spool.read(files.at(-1) as string);
    expect(last.map((e) => e.id)).toEqual(batches[3]?.map((e) => e.id));
    expect((await stat(path.join(dir, "s", files[0] as string))).mode & 0o777).toBe(0o600);
  });
});
