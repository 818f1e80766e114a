import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Logger } from "../log/logger.ts";
import type { DataKeyring } from "../secrets/data-keys.ts";
import type { ConfigState } from "../snapshots/apply.ts";
import type { UpstreamManager } from "../upstreams/manager.ts";

/**
 * Registers this data plane with the control plane and keeps telling it what runs
 * here: POST `${ONLY1MCP_CONTROL_PLANE_URL}/api/v1/fleet/heartbeat` with the node
 * token. Without a control-plane URL (standalone) nothing is sent. A failed beat is
 * logged and retried on the next tick; it never affects serving.
 */
const envSchema = z.object({
  ONLY1MCP_CONTROL_PLANE_URL: z.url({ protocol: /^https?$/ }).optional(),
  ONLY1MCP_NODE_TOKEN: z.string().min(16).optional(),
  DATA_PLANE_HEARTBEAT_MS: z.coerce.number().int().min(100).default(10_000),
  /** The URL the control plane should push snapshots to, when not the bound address. */
  DATA_PLANE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATA_PLANE_NAME: z.string().min(1).max(128).optional(),
});

/** What the control plane answers; `dataKeys` is a JWE sealed to this node's public key. */
const answerSchema = z.looseObject({ dataKeys: z.string().max(16_384).optional() });

export type HeartbeatDeps = {
  env: NodeJS.ProcessEnv;
  stateDir: string;
  state: ConfigState;
  upstreams: UpstreamManager;
  log: Logger;
  /** Where the fleet data keys the answer carries go (snapshot mode). */
  dataKeys?: DataKeyring;
  /** The bound address, known after listen (port 0). */
  boundUrl: () => string;
};

export type HeartbeatSender = { beatNow(): Promise<boolean>; stop(): void };

const VERSION = readPackageVersion();

export function startHeartbeat(deps: HeartbeatDeps): HeartbeatSender | undefined {
  const parsed = envSchema.safeParse(deps.env);
  if (!parsed.success) {
    deps.log.error("heartbeat disabled: invalid environment", {
      problems: parsed.error.issues.map((issue) => issue.path.join(".")),
    });
    return undefined;
  }
  const env = parsed.data;
  if (!env.ONLY1MCP_CONTROL_PLANE_URL) return undefined;
  if (!env.ONLY1MCP_NODE_TOKEN) {
    deps.log.warn("heartbeat disabled: ONLY1MCP_CONTROL_PLANE_URL is set but ONLY1MCP_NODE_TOKEN is not");
    return undefined;
  }
  const endpoint = `${env.ONLY1MCP_CONTROL_PLANE_URL.replace(/\/$/, "")}/api/v1/fleet/heartbeat`;
  const token = env.ONLY1MCP_NODE_TOKEN;
  const id = nodeId(deps.stateDir);
  let failing = false;

  async function beatNow(): Promise<boolean> {
    const applied = deps.state.current();
    const expiresAt = applied?.payload.expiresAt ?? null;
    const body = {
      id,
      name: env.DATA_PLANE_NAME ?? id,
      version: VERSION,
      address: env.DATA_PLANE_PUBLIC_URL ?? deps.boundUrl(),
      snapshotVersion: applied?.source === "snapshot" ? applied.version : null,
      snapshotHash: applied?.source === "snapshot" ? applied.hash : null,
      snapshotExpiresAt: expiresAt,
      stale: expiresAt !== null && Date.parse(expiresAt) <= Date.now(),
      upstreams: deps.upstreams.status(),
      ...(deps.dataKeys ? { encryptionKey: deps.dataKeys.publicJwk } : {}),
    };
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status}`);
      }
      const answer = answerSchema.safeParse(await response.json().catch(() => undefined));
      if (answer.success && answer.data.dataKeys && deps.dataKeys) {
        const installed = await deps.dataKeys.install(answer.data.dataKeys).catch((error: unknown) => {
          deps.log.error("fleet data keys refused", { error: (error as Error).message });
          return false;
        });
        if (installed) {
          deps.log.info("fleet data keys installed; starting upstreams that were waiting for a secret");
          deps.upstreams.resync();
        }
      }
      if (failing) deps.log.info("heartbeat restored", { endpoint });
      failing = false;
      return true;
    } catch (error) {
      if (!failing) deps.log.warn("heartbeat failed", { endpoint, error: (error as Error).message });
      failing = true;
      return false;
    }
  }

  let inFlight = false;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = true;
    void beatNow().finally(() => {
      inFlight = false;
    });
  }, env.DATA_PLANE_HEARTBEAT_MS);
  timer.unref();
  void beatNow();
  return { beatNow, stop: () => clearInterval(timer) };
}

/** A stable id per state dir, so a restarted node is the same node. */
function nodeId(stateDir: string): string {
  const file = path.join(stateDir, "node-id");
  try {
    const existing = readFileSync(file, "utf8").trim();
    if (/^[A-Za-z0-9_.-]{1,128}$/.test(existing)) return existing;
  } catch {
    // first start
  }
  const id = `dp_${randomUUID().replaceAll("-", "")}`;
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, `${id}\n`, { mode: 0o600 });
  return id;
}

function readPackageVersion(): string {
  try {
    // src/fleet and dist/fleet are both two levels below the package root.
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}
