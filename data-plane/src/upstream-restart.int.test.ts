import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { type AskingUpstream, startAskingHttpUpstream } from "./testing/asking-http-upstream.ts";
import { hashKey, makeApiKey } from "./testing/fixtures.ts";
import { type RunningPlane, startPlane, waitFor } from "./testing/process.ts";

type Status = { upstreams: { name: string; state: string }[] };

/**
 * A stateful HTTP upstream restarts and forgets every session: the next call gets
 * 404 for the gateway's session, and the gateway re-initialises and sends the call
 * once more, so the client sees its result, not an error.
 */
describe("an HTTP upstream that restarts (404 on its session)", () => {
  let plane: RunningPlane;
  let http: AskingUpstream;
  let client: Client;
  const text = (result: object) =>
    ((("content" in result ? result.content : undefined) ?? []) as { text?: string }[])
      .map((c) => c.text ?? "")
      .join("");
  const status = async () => (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as Status;

  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "dp-restart-"));
    http = await startAskingHttpUpstream();
    const { key, prefix } = makeApiKey();
    const configFile = path.join(dir, "config.yaml");
    await writeFile(
      configFile,
      stringify({
        schema: "snapshot.v1",
        version: 1,
        issuedAt: new Date().toISOString(),
        tenants: [
          {
            id: "ten_restart",
            slug: "restart",
            name: "Restart",
            apiKeys: [{ id: "key_restart", prefix, hash: await hashKey(key, 4) }],
            upstreams: [{ id: "u_ask", name: "asker", transport: "http", url: http.url }],
          },
        ],
      }),
    );
    plane = await startPlane({ DATA_PLANE_STATE_DIR: path.join(dir, "state") }, ["--config", configFile]);
    await waitFor(async () => ((await status()).upstreams[0]?.state === "ready" ? true : undefined), "upstream ready");
    client = new Client({ name: "restart", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${plane.url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${key}` } },
      }),
    );
  });

  afterAll(async () => {
    await client?.close();
    await plane?.stop();
    await http?.close();
  });

  it("re-initialises and retries the call once, so the client gets its result", async () => {
    expect(text(await client.callTool({ name: "asker__echo", arguments: { message: "before" } }))).toBe(
      "asking:before",
    );
    const initsBefore = http.initializations();
    await http.stop();
    await http.start();
    // The first call after the restart meets the 404 and is answered all the same.
    const after = await client.callTool({ name: "asker__echo", arguments: { message: "after" } });
    expect(after.isError).toBeFalsy();
    expect(text(after)).toBe("asking:after");
    expect(http.initializations()).toBe(initsBefore + 1);
    // Several calls at once after another restart: one re-initialise, every call answered.
    await http.stop();
    await http.start();
    const many = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => client.callTool({ name: "asker__echo", arguments: { message: `m${n}` } })),
    );
    expect(many.map(text)).toEqual(["asking:m1", "asking:m2", "asking:m3", "asking:m4", "asking:m5"]);
    expect(http.initializations()).toBe(initsBefore + 2);
    expect((await status()).upstreams[0]?.state).toBe("ready");
  });
});
