import { buildPayload, signSnapshot } from "@only1mcp/control-plane";
import { canonicalJson, sha256Hex } from "@only1mcp/data-plane";
import { fleetRuns } from "../options.ts";
import { figure } from "../stats.ts";
import { SNAPSHOT_SIZE, syntheticTenants } from "./synthetic-state.ts";
import type { FleetScenario } from "./types.ts";

/**
 * Compile + sign a snapshot of 10k keys and 1k policies with the control plane's
 * own functions: the content hash compileState computes, buildPayload (zod
 * validation) and signSnapshot (canonical JSON + EdDSA). The database read that
 * precedes them in publishSnapshot is not included (see publish → applied).
 */
export const snapshotCompile: FleetScenario = {
  id: "snapshot-compile-sign",
  label: "snapshot compile + sign (10k keys, 1k policies)",
  async run(ctx) {
    const { key } = await ctx.signing();
    const tenants = syntheticTenants(SNAPSHOT_SIZE);
    const totals: number[] = [];
    const compiles: number[] = [];
    const signs: number[] = [];
    const sizes: number[] = [];
    for (let i = 0; i < fleetRuns(ctx.options); i++) {
      const t0 = performance.now();
      const contentHash = sha256Hex(canonicalJson(tenants));
      const payload = buildPayload({ tenants, contentHash }, { version: i + 1, issuedAt: new Date(), expiresAt: null });
      const t1 = performance.now();
      const signed = await signSnapshot(payload, key);
      const t2 = performance.now();
      compiles.push(t1 - t0);
      signs.push(t2 - t1);
      totals.push(t2 - t0);
      sizes.push(signed.sizeBytes);
    }
    return {
      metrics: [
        { id: "compileSignMs", label: "compile + sign", unit: "ms", value: figure(totals) },
        { id: "compileMs", label: "compile (hash + validate)", unit: "ms", value: figure(compiles) },
        { id: "signMs", label: "sign (canonical JSON + EdDSA)", unit: "ms", value: figure(signs) },
        { id: "sizeKiB", label: "signed size", unit: "KiB", value: figure(sizes.map((s) => s / 1024)) },
      ],
    };
  },
};
