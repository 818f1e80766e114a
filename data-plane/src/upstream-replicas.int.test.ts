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

type Status = {
  upstreams: { name: string; state: string; replicas?: { url: string; state: string; outstanding: number }[] }[];
};

/**
 * One logical HTTP upstream with two endpoints (two real SDK servers): concurrent
 * calls are spread by least outstanding requests, calls keep succeeding on the other
 * endpoint while one is down, and the endpoint rejoins when it is back.
 */
describe("upstream replicas: balancing and failover", () => {
  let plane: RunningPlane;
  let r1: AskingUpstream;
  let r2: AskingUpstream;
  let client: Client;
  const text = (result: object) =>
    ((("content" in result ? result.content : undefined) ?? []) as { text?: string }[])
      .map((c) => c.text ?? "")
      .join("");
  const pool = async () =>
    ((await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as Status).upstreams.find((u) => u.name === "pool");

  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "dp-replicas-"));
    r1 = await startAskingHttpUpstream({ label: "r1" });
    r2 = await startAskingHttpUpstream({ label: "r2" });
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
            id: "ten_rep",
            slug: "rep",
            name: "Rep",
            apiKeys: [{ id: "key_rep", prefix, hash: await hashKey(key, 4) }],
            upstreams: [{ id: "u_pool", name: "pool", transport: "http", url: r1.url, replicas: [r2.url] }],
          },
        ],
      }),
    );
    plane = await startPlane({ DATA_PLANE_STATE_DIR: path.join(dir, "state") }, ["--config", configFile]);
    await waitFor(async () => {
      const p = await pool();
      return p?.replicas?.every((r) => r.state === "ready") ? p : undefined;
    }, "both replicas ready");
    client = new Client({ name: "rep", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${plane.url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${key}` } },
      }),
    );
  });

  afterAll(async () => {
    await client?.close();
    await plane?.stop();
    await r1?.close();
    await r2?.close();
  });

  it("spreads concurrent calls over the endpoints by least outstanding requests", async () => {
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => client.callTool({ name: "pool__slow", arguments: { ms: 800 } })),
    );
    const by = results.map(text).sort();
    expect(by).toEqual(["slow done by r1", "slow done by r1", "slow done by r2", "slow done by r2"]);
  });

  it("fails over to the other endpoint while one is down, and takes it back when it returns", async () => {
    await r1.stop();
    // Every call succeeds: the unreachable endpoint's calls move to the other one.
    for (let i = 0; i < 6; i++) {
      expect(text(await client.callTool({ name: "pool__echo", arguments: { message: `m${i}` } }))).toBe(`r2:m${i}`);
    }
    const during = await pool();
    expect(during?.state).toBe("ready");
    expect(during?.replicas?.map((r) => r.state)).toEqual(["down", "ready"]);

    await r1.start();
    await waitFor(async () => ((await pool())?.replicas?.[0]?.state === "ready" ? true : undefined), "r1 back", 45_000);
    const again = await Promise.all([1, 2].map(() => client.callTool({ name: "pool__slow", arguments: { ms: 500 } })));
    expect(again.map(text).sort()).toEqual(["slow done by r1", "slow done by r2"]);
  });
});
