import type { Era, Front } from "../mcp-front.ts";

/** Thrown by a target or fleet scenario that cannot run here: reported, never fatal. */
export class Skip extends Error {}

export type MeasuredProcess = { role: string; pid: number };

/** A target that is up: where to send calls, and which processes to watch. */
export type StartedTarget = {
  front: Front;
  /** The process whose CPU time is charged per call (the gateway alone). */
  gateway: MeasuredProcess;
  /** Every process of the target (gateway, upstream), for peak RSS. */
  processes: MeasuredProcess[];
  /** What exactly ran (e.g. which enforcement the config switched on), for the results. */
  detail?: string;
};

export type TargetKind = "reference" | "direct" | "data-plane" | "peer";

export type TargetSpec = {
  id: string;
  label: string;
  kind: TargetKind;
  upstream: "none" | "stdio" | "http";
  era: Era | "n/a";
  enforcement?: "on" | "off";
  start(fixtures: Fixtures): Promise<StartedTarget>;
};

/** Things several targets share, started once on first use. */
export type Fixtures = {
  /** URL of the shared echo upstream over Streamable HTTP, and its pid. */
  echoHttp(): Promise<{ url: string; pid: number }>;
  /** A temporary directory for this run. */
  tmpDir: string;
  /** Node flags for data-plane processes (profiling). */
  dataPlaneNodeArgs: string[];
};
