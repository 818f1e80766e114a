import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { type AskingUpstream, startAskingHttpUpstream } from "./testing/asking-http-upstream.ts";
import { everythingCommand, hashKey, makeApiKey } from "./testing/fixtures.ts";
import { isAlive, type RunningPlane, startPlane, waitFor } from "./testing/process.ts";

type Status = { upstreams: { name: string; state: string; pid?: number }[] };

/**
 * Hot reload drains what it removes: a slow call in flight on an upstream that a new
 * configuration removes still gets its result, a new call to it is refused, and the
 * upstream is closed (its process gone) once the call is done.
 */
describe("hot reload drains removed upstreams", () => {
  let dir: string;
  let plane: RunningPlane;
  let apiKey: string;
  let keyPrefix: string;
  let http: AskingUpstream;
  let configFile: string;
  let client: Client;
  const text = (result: object) =>
    ((("content" in result ? result.content : undefined) ?? []) as { text?: string }[])
      .map((c) => c.text ?? "")
      .join("");
  const status = async () => (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as Status;

  const config = async (upstreams: unknown[], version: number) => {
    await writeFile(
      configFile,
      stringify({
        schema: "snapshot.v1",
        version,
        issuedAt: new Date().toISOString(),
        tenants: [
          {
            id: "ten_drain",
            slug: "drain",
            name: "Drain",
            apiKeys: [{ id: "key_drain", prefix: keyPrefix, hash: await hashKey(apiKey, 4) }],
            upstreams,
          },
        ],
      }),
    );
  };

  const everything = everythingCommand();
  const keep = () => ({ id: "u_keep", name: "keep", transport: "http", url: http.url });
  const gone = () => ({
    id: "u_gone",
    name: "gone",
    transport: "stdio",
    command: everything.command,
    args: everything.args,
  });
  const slowHttp = () => ({ id: "u_slow", name: "slowpoke", transport: "http", url: http.url });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dp-drain-"));
    http = await startAskingHttpUpstream();
    ({ key: apiKey, prefix: keyPrefix } = makeApiKey());
    configFile = path.join(dir, "config.yaml");
    await config([keep(), gone(), slowHttp()], 1);
    plane = await startPlane({ DATA_PLANE_STATE_DIR: path.join(dir, "state") }, ["--config", configFile]);
    await waitFor(async () => {
      const s = await status();
      return s.upstreams.length === 3 && s.upstreams.every((u) => u.state === "ready") ? s : undefined;
    }, "upstreams ready");
    client = new Client({ name: "drain", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${plane.url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${apiKey}` } },
      }),
    );
  });

  afterAll(async () => {
    await client?.close();
    await plane?.stop();
    await http?.close();
  });

  it("lets calls in flight on removed upstreams finish, refuses new ones, then closes them", async () => {
    const before = await status();
    const pid = before.upstreams.find((u) => u.name === "gone")?.pid;
    expect(pid).toBeGreaterThan(0);
    // Two slow calls: one on the stdio upstream, one on the HTTP one; both are removed mid-call.
    const stdioCall = client.callTool(
      { name: "gone__trigger-long-running-operation", arguments: { duration: 2, steps: 4 } },
      undefined,
      { timeout: 30_000 },
    );
    const httpCall = client.callTool({ name: "slowpoke__slow", arguments: { ms: 2000 } }, undefined, {
      timeout: 30_000,
    });
    await new Promise((r) => setTimeout(r, 400));
    await config([keep()], 2);
    await waitFor(async () => {
      const s = await status();
      return s.upstreams.length === 1 ? s : undefined;
    }, "the new configuration applied");

    // New calls never reach the removed upstreams (their tools are gone from the list).
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names.some((n) => n.startsWith("gone__") || n.startsWith("slowpoke__"))).toBe(false);
    await expect(client.callTool({ name: "gone__echo", arguments: { message: "x" } })).rejects.toThrow(/unknown tool/);
    // The stdio process is still there: its call is in flight.
    expect(isAlive(pid as number)).toBe(true);
    // The kept upstream serves as before.
    expect(text(await client.callTool({ name: "keep__echo", arguments: { message: "k" } }))).toBe("asking:k");

    const [stdioResult, httpResult] = await Promise.all([stdioCall, httpCall]);
    expect(stdioResult.isError).toBeFalsy();
    expect(text(stdioResult)).toContain("completed");
    expect(text(httpResult)).toBe("slow done");
    // Drained: the process is closed once its call is done.
    await waitFor(async () => (isAlive(pid as number) ? undefined : true), "the drained upstream's process to exit");
    expect(plane.logs.some((line) => line.includes("upstream drained"))).toBe(true);
  });
});
