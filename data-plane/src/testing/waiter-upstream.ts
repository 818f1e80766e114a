// Test-only stdio upstream (SDK v1): `wait` blocks until the call is cancelled, then
// appends "cancelled" to the file named by CANCEL_LOG, so a test can see the
// gateway's notifications/cancelled reached the right upstream request.
import { appendFileSync } from "node:fs";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

const server = new McpServer({ name: "waiter", version: "1.0.0" });
server.registerTool("wait", { description: "waits until cancelled" }, async (extra) => {
  await new Promise<void>((resolve) => {
    extra.signal.addEventListener("abort", () => {
      appendFileSync(process.env.CANCEL_LOG ?? "/dev/null", "cancelled\n");
      resolve();
    });
    setTimeout(resolve, 60_000).unref();
  });
  return { content: [{ type: "text", text: "done" }] };
});
await server.connect(new StdioServerTransport());
