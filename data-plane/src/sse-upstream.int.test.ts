import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { CreateMessageRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningPlane } from "./testing/process.ts";
import { startSseUpstream } from "./testing/sse-upstream.ts";
import { connectLegacy, tenantFixture, toolText, upstreamsReady } from "./testing/tenant-plane.ts";

/** An upstream on the older HTTP+SSE transport (an SDK v1 SSEServerTransport server). */
describe("HTTP+SSE (2024-11-05) upstreams", () => {
  let plane: RunningPlane;
  let upstream: Awaited<ReturnType<typeof startSseUpstream>>;
  let key: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    upstream = await startSseUpstream();
    const tenant = await tenantFixture("sse-up", [{ id: "u_old", name: "old", transport: "sse", url: upstream.url }]);
    key = tenant.key;
    plane = await tenant.start();
    await upstreamsReady(plane, 1);
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await plane?.stop();
    await upstream?.close();
  });

  it("lists and calls its tools, and routes its sampling request to the calling client", async () => {
    const client = new Client({ name: "c", version: "1" }, { capabilities: { sampling: {} } });
    client.setRequestHandler(CreateMessageRequestSchema, async () => ({
      model: "m",
      role: "assistant",
      content: { type: "text", text: "from-the-client" },
    }));
    await connectLegacy(plane, key, client);
    clients.push(client);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["old__echo", "old__sample"]));
    expect(toolText(await client.callTool({ name: "old__echo", arguments: { message: "hi" } }))).toBe("sse:hi");
    const calls = await Promise.all(
      [1, 2, 3].map((n) => client.callTool({ name: "old__echo", arguments: { message: `m${n}` } })),
    );
    expect(calls.map(toolText)).toEqual(["sse:m1", "sse:m2", "sse:m3"]);
    expect(toolText(await client.callTool({ name: "old__sample", arguments: {} }))).toContain("from-the-client");
  });
});
