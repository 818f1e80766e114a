import type { SigningKey } from "@only1mcp/control-plane";
import type { BenchOptions } from "../options.ts";
import type { Figure } from "../stats.ts";
import type { Fixtures } from "../targets/types.ts";
import type { ThrowawayDatabase } from "./throwaway-database.ts";

export type FleetMetric = { id: string; label: string; unit: string; value: Figure };

export type FleetResult = {
  id: string;
  label: string;
  status: "ok" | "skipped" | "failed";
  reason?: string;
  metrics: FleetMetric[];
  /** How it was measured, when that is not obvious (e.g. client-side). */
  note?: string;
};

export type FleetContext = {
  fixtures: Fixtures;
  options: BenchOptions;
  log: (line: string) => void;
  /** The control plane's signing key (generated for this run) and the trusted-keys file for data planes. */
  signing(): Promise<{ key: SigningKey; trustedKeysFile: string }>;
  /** A throwaway Postgres database with the committed migrations, shared by the fleet scenarios. */
  database(): Promise<ThrowawayDatabase>;
};

export type FleetScenario = {
  id: string;
  label: string;
  run(ctx: FleetContext): Promise<{ metrics: FleetMetric[]; note?: string }>;
};
