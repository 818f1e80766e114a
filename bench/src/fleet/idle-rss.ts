import { setTimeout as sleep } from "node:timers/promises";
import { buildPayload, signSnapshot } from "@only1mcp/control-plane";
import { canonicalJson, sha256Hex } from "@only1mcp/data-plane";
import { memoryMb } from "../proc-stats.ts";
import { figure } from "../stats.ts";
import { planeStatus, putSnapshot, startSnapshotPlane } from "./snapshot-plane.ts";
import { syntheticTenants } from "./synthetic-state.ts";
import type { FleetScenario } from "./types.ts";

/**
 * Resident memory of an idle data plane holding 100 upstream definitions (HTTP,
 * all pointing at the bench's echo server, so each is a live client) and 10k
 * keys; a fresh process per run, measured once its upstreams are connected.
 */
export const idleRss: FleetScenario = {
  id: "data-plane-idle-rss",
  label: "data-plane RSS idle (100 upstreams, 10k keys)",
  async run(ctx) {
    const { key, trustedKeysFile } = await ctx.signing();
    const echo = await ctx.fixtures.echoHttp();
    const tenants = syntheticTenants({ tenants: 10, keys: 10_000, policies: 0, upstreams: 100, upstreamUrl: echo.url });
    const payload = buildPayload(
      { tenants, contentHash: sha256Hex(canonicalJson(tenants)) },
      { version: 1, issuedAt: new Date(), expiresAt: null },
    );
    const { jws } = await signSnapshot(payload, key);
    const rss: number[] = [];
    const peak: number[] = [];
    // A fresh process per run; the quick (smoke) run makes do with one.
    for (let i = 0; i < (ctx.options.quick ? 1 : ctx.options.repeats); i++) {
      const plane = await startSnapshotPlane(`idle-plane-${i}`, ctx.fixtures.tmpDir, trustedKeysFile);
      try {
        const put = await putSnapshot(plane.url, jws);
        if (put.status !== 200) throw new Error(`apply refused: HTTP ${put.status} ${put.body.slice(0, 200)}`);
        // The quick (smoke) run does not wait for every upstream: its figure is not meant to be read.
        const deadline = Date.now() + (ctx.options.quick ? 5_000 : 60_000);
        for (;;) {
          const status = await planeStatus(plane.url);
          const connected = status.upstreams.filter((u) => u.state === "ready").length;
          if (connected >= 100) break;
          if (Date.now() > deadline) {
            if (ctx.options.quick) break;
            throw new Error(`only ${connected} of 100 upstreams connected`);
          }
          await sleep(200);
        }
        await sleep(ctx.options.quick ? 500 : 2000);
        const memory = memoryMb(plane.pid);
        rss.push(memory.rssMb);
        peak.push(memory.peakRssMb);
      } finally {
        await plane.stop();
      }
    }
    return {
      metrics: [
        { id: "idleRssMb", label: "RSS idle", unit: "MB", value: figure(rss) },
        { id: "peakRssMb", label: "peak RSS (incl. apply)", unit: "MB", value: figure(peak) },
      ],
    };
  },
};
