import { openLegacyFront } from "../mcp-front.ts";
import type { TargetSpec } from "./types.ts";

/** The echo upstream called directly over Streamable HTTP (SDK server transport, stateless, JSON). */
export const directHttpUpstream: TargetSpec = {
  id: "direct-http-upstream",
  label: "upstream called directly (Streamable HTTP)",
  kind: "direct",
  upstream: "http",
  era: "legacy",
  async start(fixtures) {
    const echo = await fixtures.echoHttp();
    const front = await openLegacyFront(echo.url);
    const upstream = { role: "upstream", pid: echo.pid };
    return { front, gateway: upstream, processes: [upstream] };
  },
};
