// A standalone data plane (no control plane) holding a signed snapshot, as a real
// process: the fixture every data-plane chaos case starts from.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  everythingCommand,
  hashKey,
  makeApiKey,
  makeSigningKey,
  payload,
  type SigningKey,
  signPayload,
} from "../../../../data-plane/src/testing/fixtures.ts";
import { type RunningPlane, startPlane, waitFor } from "../../../../data-plane/src/testing/process.ts";

export type UpstreamDef = {
  id: string;
  name: string;
  transport: "stdio";
  command: string;
  args: string[];
  env: Record<string, string>;
};

export type PlaneStatus = {
  snapshotVersion: number | null;
  snapshotHash: string | null;
  source?: string;
  upstreams: {
    name: string;
    state: string;
    tools?: number;
    pid?: number;
    error?: string;
    circuit?: string;
    consecutiveFailures?: number;
  }[];
};

export type SignedPlane = {
  dir: string;
  apiKey: string;
  signer: SigningKey;
  env: Record<string, string>;
  start(): Promise<RunningPlane>;
  push(plane: RunningPlane, version: number): Promise<Response>;
  cleanup(): Promise<void>;
};

export function everythingUpstream(name = "everything"): UpstreamDef {
  const { command, args } = everythingCommand();
  return { id: `ups_${name}`, name, transport: "stdio", command, args, env: {} };
}

/** A stdio "server" that dies at once, every time: a crash-looping upstream. */
export function crashingUpstream(name = "crasher"): UpstreamDef {
  return {
    id: `ups_${name}`,
    name,
    transport: "stdio",
    command: process.execPath,
    args: ["-e", "process.stderr.write('crashing on purpose\\n'); process.exit(3)"],
    env: {},
  };
}

export async function signedPlane(
  upstreams: UpstreamDef[] = [everythingUpstream()],
  options: {
    security?: Record<string, unknown>;
    env?: Record<string, string>;
    policies?: { id: string; name: string; rules: Record<string, unknown> }[];
  } = {},
): Promise<SignedPlane> {
  const dir = await mkdtemp(path.join(tmpdir(), "only1mcp-chaos-"));
  const signer = await makeSigningKey();
  const keysFile = path.join(dir, "trusted-keys.json");
  await writeFile(keysFile, JSON.stringify({ keys: [signer.publicJwk] }));
  const { key, prefix } = makeApiKey();
  // The control plane's cost (10), so the soak measures real verification.
  const hash = await hashKey(key, 10);
  const snapshot = (version: number) => ({
    ...payload(version, [
      {
        id: "ten_chaos",
        slug: "chaos",
        name: "Chaos",
        apiKeys: [{ id: "key_chaos", prefix, hash, expiresAt: null }],
        upstreams,
        policies: options.policies ?? [],
      },
    ]),
    ...(options.security ? { security: options.security } : {}),
  });
  const env = {
    DATA_PLANE_STATE_DIR: path.join(dir, "state"),
    ONLY1MCP_TRUSTED_KEYS_FILE: keysFile,
    ...options.env,
  };
  return {
    dir,
    apiKey: key,
    signer,
    env,
    start: () => startPlane(env),
    async push(plane, version) {
      return fetch(`${plane.url}/_only1mcp/snapshot`, {
        method: "PUT",
        headers: { "content-type": "application/jose" },
        body: await signPayload(snapshot(version), signer),
      });
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function planeStatus(url: string): Promise<PlaneStatus> {
  return (await fetch(`${url}/_only1mcp/status`)).json() as Promise<PlaneStatus>;
}

export function waitForUpstream(url: string, name: string, state = "ready") {
  return waitFor(async () => {
    try {
      return (await planeStatus(url)).upstreams.find((u) => u.name === name && u.state === state);
    } catch {
      return undefined;
    }
  }, `upstream ${name} to be ${state}`);
}

export { isAlive, type RunningPlane, startPlane, waitFor } from "../../../../data-plane/src/testing/process.ts";
