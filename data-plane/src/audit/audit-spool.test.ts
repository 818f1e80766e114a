import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../log/logger.ts";
import type { AuditEventV1 } from "./audit-event-schema.ts";
import { AuditShipper } from "./audit-shipper.ts";
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

  it("refuses a batch larger than its whole cap without deleting what it holds", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "spool-"));
    const spool = new AuditSpool(path.join(dir, "s"), 2500);
    await spool.write([event()]);
    const before = await spool.list();
    await expect(spool.write(Array.from({ length: 20 }, event))).rejects.toMatchObject({ code: "ESPOOLCAP" });
    expect(await spool.list()).toEqual(before);
    expect((await readdir(path.join(dir, "s"))).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("a spool that cannot be written loses the batch without throwing: counted, logged at error, nothing left behind", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "spool-"));
    // The spool's directory cannot be created (its parent is a file): every write fails.
    await writeFile(path.join(dir, "not-a-dir"), "x");
    const lines: string[] = [];
    const shipper = new AuditShipper({
      endpoint: "http://127.0.0.1:1/api/v1/fleet/audit",
      nodeToken: "t",
      nodeId: "n",
      spool: new AuditSpool(path.join(dir, "not-a-dir", "spool"), 10_000),
      log: createLogger({ write: (line) => lines.push(line) }),
      flushIntervalMs: 60_000,
    });
    const { id: _id, time: _time, nodeId: _node, ...record } = event();
    for (let i = 0; i < 7; i++) shipper.record(record);
    await shipper.flush();
    for (let i = 0; i < 3; i++) shipper.record(record);
    await shipper.stop();
    const stats = shipper.stats();
    expect(stats).toMatchObject({
      recorded: 10,
      delivered: 0,
      spooled: 0,
      droppedWriteFailed: 10,
      droppedSpoolFull: 0,
    });
    expect(stats.lastSpoolError).toBe("ENOTDIR");
    const errors = lines.map((l) => JSON.parse(l) as { level: string; msg: string; dropped?: number });
    expect(
      errors.filter((l) => l.level === "error" && l.msg === "audit spool write failed: events dropped"),
    ).toHaveLength(2);
    expect(await readdir(dir)).toEqual(["not-a-dir"]);
  });

  it("counts the events the size cap drops", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "spool-"));
    const shipper = new AuditShipper({
      endpoint: "http://127.0.0.1:1/api/v1/fleet/audit",
      nodeToken: "t",
      nodeId: "n",
      spool: new AuditSpool(path.join(dir, "s"), 2500),
      log: createLogger({ write: () => {} }),
      flushIntervalMs: 60_000,
    });
    const { id: _id, time: _time, nodeId: _node, ...record } = event();
    for (let batch = 0; batch < 5; batch++) {
      for (let i = 0; i < 3; i++) shipper.record(record);
      await shipper.flush();
      await new Promise((r) => setTimeout(r, 2));
    }
    await shipper.stop();
    const stats = shipper.stats();
    expect(stats.spooled).toBe(15);
    expect(stats.droppedSpoolFull).toBeGreaterThan(0);
    const left = (
      await Promise.all((await readdir(path.join(dir, "s"))).map((f) => stat(path.join(dir as string, "s", f))))
    ).reduce((sum, s) => sum + s.size, 0);
    expect(left).toBeLessThanOrEqual(2500);
    const spool = new AuditSpool(path.join(dir, "s"), 2500);
    const kept = (await Promise.all((await spool.list()).map((f) => spool.read(f)))).flat().length;
    // Every spooled event is either still on disk or counted as dropped.
    expect(kept + stats.droppedSpoolFull).toBe(stats.spooled);
  });
});
