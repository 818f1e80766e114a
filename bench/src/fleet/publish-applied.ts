import {
  createTenant,
  issueApiKey,
  publishSnapshot,
  pushSnapshotToNodes,
  registerConfiguredNodes,
} from "@only1mcp/control-plane";
import { figure, percentile } from "../stats.ts";
import { type SnapshotPlane, startSnapshotPlane, waitForVersion } from "./snapshot-plane.ts";
import type { FleetScenario } from "./types.ts";

const ACTOR = { kind: "system" as const, name: "bench" };

/**
 * Publish → applied on three data planes, through the control plane's own path
 * on a throwaway Postgres database: a state change (one more API key), then
 * publishSnapshot (compile from the database, sign, store) and
 * pushSnapshotToNodes (what the reconciler calls), timed until each data plane's
 * /_only1mcp/status reports the new version.
 */
export const publishApplied: FleetScenario = {
  id: "publish-applied-3-planes",
  label: "publish → applied on 3 data planes",
  async run(ctx) {
    const { key, trustedKeysFile } = await ctx.signing();
    const { db } = await ctx.database();
    const planes: SnapshotPlane[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        planes.push(await startSnapshotPlane(`fleet-plane-${i}`, ctx.fixtures.tmpDir, trustedKeysFile));
      }
      await registerConfiguredNodes(
        db,
        planes.map((p) => p.url),
      );
      const tenant = await createTenant(db, { slug: "bench-fleet", name: "Bench fleet" }, ACTOR);
      const p50s: number[] = [];
      const p99s: number[] = [];
      const rounds = ctx.options.quick ? 3 : 10;
      for (let run = 0; run < ctx.options.repeats; run++) {
        const latencies: number[] = [];
        for (let round = 0; round < rounds; round++) {
          await issueApiKey(db, { tenantId: tenant.id, name: `bench-${run}-${round}` }, ACTOR);
          const t0 = performance.now();
          const snapshot = await publishSnapshot(db, key, ACTOR);
          const pushed = pushSnapshotToNodes(db, snapshot);
          const applied = await Promise.all(planes.map((p) => waitForVersion(p.url, snapshot.version)));
          const outcomes = await pushed;
          const failed = outcomes.find((o) => !o.ok);
          if (failed) throw new Error(`push to ${failed.url} failed: ${failed.error ?? failed.status}`);
          for (const at of applied) latencies.push(at - t0);
        }
        latencies.sort((a, b) => a - b);
        p50s.push(percentile(latencies, 0.5));
        p99s.push(percentile(latencies, 0.99));
      }
      return {
        metrics: [
          { id: "p50Ms", label: "publish → applied p50", unit: "ms", value: figure(p50s) },
          { id: "p99Ms", label: "publish → applied p99", unit: "ms", value: figure(p99s) },
        ],
        note: `each run: ${rounds} publishes × 3 planes; the reconciler's own scheduling is not included`,
      };
    } finally {
      await Promise.all(planes.map((p) => p.stop()));
    }
  },
};
