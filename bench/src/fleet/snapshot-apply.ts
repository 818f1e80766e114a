import { buildPayload, signSnapshot } from "@only1mcp/control-plane";
import { canonicalJson, sha256Hex } from "@only1mcp/data-plane";
import { Pool } from "undici";
import { fleetRuns } from "../options.ts";
import { figure } from "../stats.ts";
import { putSnapshot, startSnapshotPlane } from "./snapshot-plane.ts";
import { SNAPSHOT_SIZE, syntheticTenants } from "./synthetic-state.ts";
import type { FleetScenario } from "./types.ts";

/**
 * PUT a 10k-key, 1k-policy snapshot to a data plane: apply time is the PUT's
 * round trip (transfer, signature check, schema validation, key index, write to
 * disk). The data plane exposes no event-loop metric, so the stall is measured
 * from outside: /healthz is probed back to back during the PUT and the slowest
 * probe is the longest time the data plane could not answer.
 */
export const snapshotApply: FleetScenario = {
  id: "snapshot-apply",
  label: "data-plane apply (10k keys, 1k policies)",
  async run(ctx) {
    const { key, trustedKeysFile } = await ctx.signing();
    const plane = await startSnapshotPlane("apply-plane", ctx.fixtures.tmpDir, trustedKeysFile);
    try {
      const tenants = syntheticTenants(SNAPSHOT_SIZE);
      const contentHash = sha256Hex(canonicalJson(tenants));
      const runs = fleetRuns(ctx.options);
      const jwss: string[] = [];
      for (let v = 1; v <= runs; v++) {
        const payload = buildPayload({ tenants, contentHash }, { version: v, issuedAt: new Date(), expiresAt: null });
        jwss.push((await signSnapshot(payload, key)).jws);
      }
      const applyMs: number[] = [];
      const stallMs: number[] = [];
      const probes = new Pool(plane.url, { connections: 1 });
      try {
        for (const jws of jwss) {
          let applying = true;
          let slowest = 0;
          const probing = (async () => {
            while (applying) {
              const t0 = performance.now();
              const response = await probes.request({ path: "/healthz", method: "GET" });
              await response.body.dump();
              slowest = Math.max(slowest, performance.now() - t0);
            }
          })();
          const put = await putSnapshot(plane.url, jws);
          applying = false;
          await probing;
          if (put.status !== 200) throw new Error(`apply refused: HTTP ${put.status} ${put.body.slice(0, 200)}`);
          applyMs.push(put.ms);
          stallMs.push(slowest);
        }
      } finally {
        await probes.close();
      }
      return {
        metrics: [
          { id: "applyMs", label: "apply (PUT round trip)", unit: "ms", value: figure(applyMs) },
          { id: "stallMs", label: "longest stall (slowest /healthz probe)", unit: "ms", value: figure(stallMs) },
        ],
        note: "measured from the client side: the data plane exposes no event-loop delay metric",
      };
    } finally {
      await plane.stop();
    }
  },
};
