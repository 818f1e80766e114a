import path from "node:path";
import { ensureSigningKey, TRUSTED_KEYS_FILE } from "@only1mcp/control-plane";
import { type BenchOptions, selected } from "../options.ts";
import { type Fixtures, Skip } from "../targets/types.ts";
import { auditIngest } from "./audit-ingest.ts";
import { auditQuery } from "./audit-query.ts";
import { idleRss } from "./idle-rss.ts";
import { publishApplied } from "./publish-applied.ts";
import { snapshotApply } from "./snapshot-apply.ts";
import { snapshotCompile } from "./snapshot-compile.ts";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./throwaway-database.ts";
import type { FleetContext, FleetResult, FleetScenario } from "./types.ts";

export const FLEET_SCENARIOS: FleetScenario[] = [
  snapshotCompile,
  snapshotApply,
  publishApplied,
  idleRss,
  auditIngest,
  auditQuery,
];

export async function runFleet(
  fixtures: Fixtures,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<FleetResult[]> {
  let signing: ReturnType<FleetContext["signing"]> | undefined;
  let database: Promise<ThrowawayDatabase> | undefined;
  const ctx: FleetContext = {
    fixtures,
    options,
    log,
    signing() {
      const dir = path.join(fixtures.tmpDir, "control-plane");
      signing ??= ensureSigningKey(dir).then((key) => ({ key, trustedKeysFile: path.join(dir, TRUSTED_KEYS_FILE) }));
      return signing;
    },
    database() {
      database ??= createThrowawayDatabase();
      return database;
    },
  };
  const results: FleetResult[] = [];
  try {
    for (const scenario of FLEET_SCENARIOS.filter((s) => selected(options, s.id))) {
      const t0 = performance.now();
      try {
        const { metrics, note } = await scenario.run(ctx);
        results.push({ id: scenario.id, label: scenario.label, status: "ok", metrics, ...(note ? { note } : {}) });
        log(`  ${scenario.id}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      } catch (error) {
        const status = error instanceof Skip ? "skipped" : "failed";
        results.push({ id: scenario.id, label: scenario.label, status, reason: (error as Error).message, metrics: [] });
        log(`  ${status} ${scenario.id}: ${(error as Error).message}`);
      }
    }
  } finally {
    if (database) await database.then((d) => d.drop()).catch(() => undefined);
  }
  return results;
}
