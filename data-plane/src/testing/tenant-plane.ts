// Test-only: one tenant with one API key, its YAML config file, and the real data plane
// running it (standalone mode), plus the small helpers the integration suites share.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { stringify } from "yaml";
import { hashKey, makeApiKey } from "./fixtures.ts";
import { type RunningPlane, startPlane, waitFor } from "./process.ts";

export type PlaneStatus = {
  upstreams: {
    name: string;
    state: string;
    pid?: number;
    tools?: number;
    sessionProcesses?: number;
    replicas?: { url: string; state: string; outstanding: number }[];
  }[];
};

export type TenantFixture = {
  key: string;
  dir: string;
  configFile: string;
  /** (Re)writes the config file: this tenant with these upstreams (a running plane hot-reloads it). */
  writeConfig(upstreams: unknown[], version?: number): Promise<void>;
  /** Starts a data plane on the config file; `stateDir` names its own state directory. */
  start(env?: Record<string, string>, stateDir?: string): Promise<RunningPlane>;
};

export async function tenantFixture(name: string, upstreams: unknown[]): Promise<TenantFixture> {
  const { key, prefix } = makeApiKey();
  const hash = await hashKey(key, 4);
  const dir = await mkdtemp(path.join(tmpdir(), `dp-${name}-`));
  const configFile = path.join(dir, "config.yaml");
  const writeConfig = (list: unknown[], version = 1) =>
    writeFile(
      configFile,
      stringify({
        schema: "snapshot.v1",
        version,
        issuedAt: new Date().toISOString(),
        tenants: [
          {
            id: `ten_${name}`,
            slug: name,
            name,
            apiKeys: [{ id: `key_${name}`, prefix, hash }],
            upstreams: list,
          },
        ],
      }),
    );
  await writeConfig(upstreams);
  return {
    key,
    dir,
    configFile,
    writeConfig,
    start: (env = {}, stateDir = "state") =>
      startPlane({ DATA_PLANE_STATE_DIR: path.join(dir, stateDir), ...env }, ["--config", configFile]),
  };
}

export async function planeStatus(plane: RunningPlane): Promise<PlaneStatus> {
  return (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as PlaneStatus;
}

/** Waits until the plane lists exactly `count` upstreams, all ready. */
export function upstreamsReady(plane: RunningPlane, count: number): Promise<PlaneStatus> {
  return waitFor(async () => {
    const status = await planeStatus(plane);
    return status.upstreams.length === count && status.upstreams.every((u) => u.state === "ready") ? status : undefined;
  }, `${count} upstreams ready`);
}

/** The text content of a tool result, joined. */
export function toolText(result: object): string {
  return ((("content" in result ? result.content : undefined) ?? []) as { text?: string }[])
    .map((c) => c.text ?? "")
    .join("");
}

/** Connects a legacy-era (SDK v1, Streamable HTTP) client with the key; `client` may come preconfigured. */
export async function connectLegacy(
  plane: RunningPlane,
  key: string,
  client = new Client({ name: "legacy", version: "1" }),
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(`${plane.url}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
  });
  await client.connect(transport);
  return { client, transport };
}

/** A raw legacy initialize (declaring `capabilities`): the new session's id. */
export async function initializeSession(
  plane: RunningPlane,
  key: string,
  capabilities: Record<string, unknown> = {},
): Promise<string> {
  const response = await fetch(`${plane.url}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities, clientInfo: { name: "raw", version: "1" } },
    }),
  });
  return response.headers.get("mcp-session-id") ?? "";
}
