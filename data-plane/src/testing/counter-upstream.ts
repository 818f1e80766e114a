// Test-only stdio upstream (SDK v1) with per-process state: `count` answers
// `<pid>:<n>`, n counting the calls this process has served.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

let calls = 0;
const server = new McpServer({ name: "counter", version: "1.0.0" });
server.registerTool("count", { description: "counts the calls this process served" }, async () => {
  calls++;
  return { content: [{ type: "text", text: `${process.pid}:${calls}` }] };
});
await server.connect(new StdioServerTransport());
