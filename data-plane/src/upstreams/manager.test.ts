import { describe, expect, it } from "vitest";
import { silentLogger } from "../log/logger.ts";
import { type SnapshotPayloadInput, snapshotPayloadSchema, type UpstreamEntry } from "../snapshots/schema.ts";
import { payload } from "../testing/fixtures.ts";
import type { UpstreamConnection } from "./connection.ts";
import { UpstreamManager } from "./manager.ts";

type Fake = { def: UpstreamEntry; tenantId: string; started: number; closed: number };

function setup(limits?: { perTenant: number; total: number }) {
  const made: Fake[] = [];
  const manager = new UpstreamManager(
    silentLogger,
    (tenantId, def, defHash, onChange) => {
      const fake = {
        tenantId,
        def,
        defHash,
        state: "ready",
        offer: {
          tools: [{ name: "echo", description: `echo of ${def.name}` }],
          prompts: [],
          resources: [],
          resourceTemplates: [],
        },
        error: undefined as string | undefined,
        pid: undefined,
        started: 0,
        closed: 0,
        start() {
          this.started++;
          onChange();
        },
        async close() {
          this.closed++;
        },
        // No calls in flight in these fakes: draining closes at once, like the real one.
        async drain() {
          this.closed++;
        },
        killNow() {},
        refuse(reason: string) {
          this.state = "down";
          this.error = reason;
        },
      };
      made.push(fake);
      return fake as unknown as UpstreamConnection;
    },
    limits,
  );
  return { made, manager };
}

const stdio = (id: string, name: string, args: string[] = []): UpstreamEntry => ({
  id,
  name,
  transport: "stdio",
  command: "node",
  args,
  env: {},
});

function snapshot(version: number, tenants: Record<string, UpstreamEntry[]>) {
  const input: SnapshotPayloadInput = payload(
    version,
    Object.entries(tenants).map(([id, upstreams]) => ({
      id,
      slug: id,
      name: id,
      apiKeys: [],
      upstreams,
      policies: [],
    })),
  );
  return snapshotPayloadSchema.parse(input);
}

describe("UpstreamManager.sync", () => {
  it("keeps unchanged upstreams, restarts changed ones, starts new ones and closes removed ones", () => {
    const { made, manager } = setup();
    manager.sync(snapshot(1, { t1: [stdio("u1", "one"), stdio("u2", "two")] }));
    expect(made.map((f) => [f.def.id, f.started])).toEqual([
      ["u1", 1],
      ["u2", 1],
    ]);
    manager.sync(snapshot(2, { t1: [stdio("u1", "one"), stdio("u2", "two", ["--changed"]), stdio("u3", "three")] }));
    expect(made).toHaveLength(4);
    const [u1, u2old, u2new, u3] = made as [Fake, Fake, Fake, Fake];
    expect(u1.closed).toBe(0);
    expect(u1.started).toBe(1);
    expect(u2old.closed).toBe(1);
    expect(u2new.def).toMatchObject({ args: ["--changed"] });
    expect(u3.def.id).toBe("u3");
    manager.sync(snapshot(3, {}));
    expect([u1, u2new, u3].map((f) => f.closed)).toEqual([1, 1, 1]);
    expect(manager.status()).toEqual([]);
  });

  it("names tools <upstream>__<tool>, keeps the rest of each definition, and routes per tenant", () => {
    const { manager } = setup();
    manager.sync(snapshot(1, { t1: [stdio("u1", "one")], t2: [stdio("u9", "nine")] }));
    expect(manager.listTools("t1")).toEqual([{ name: "one__echo", description: "echo of one" }]);
    expect(manager.resolveTool("t1", "one__echo")?.toolName).toBe("echo");
    expect(manager.resolveTool("t1", "nine__echo")).toBeUndefined();
    expect(manager.resolveTool("t2", "nine__echo")?.connection.def.id).toBe("u9");
    expect(manager.listTools("nobody")).toEqual([]);
  });

  it("caps stdio processes per tenant and in total, reporting the ones not started", () => {
    const { made, manager } = setup({ perTenant: 2, total: 3 });
    manager.sync(
      snapshot(1, { t1: [stdio("a", "a"), stdio("b", "b"), stdio("c", "c")], t2: [stdio("d", "d"), stdio("e", "e")] }),
    );
    expect(made.filter((f) => f.started > 0).map((f) => f.def.id)).toEqual(["a", "b", "d"]);
    const down = manager.status().filter((s) => s.state === "down");
    expect(down.map((s) => [s.upstreamId, s.error])).toEqual([
      ["c", "stdio process cap reached (2 per tenant)"],
      ["e", "stdio process cap reached (3 in total)"],
    ]);
  });
});
