// Before a soak's load: proof that the enforcement it claims is on refuses what it
// should (no key, a wrong key, a denied tool, an argument past its constraint) and
// admits the soak's own call. Each line is an observation; `failures` are the misses.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

export type EnforcementCheck = { observed: string[]; failures: string[] };

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "soak-check", version: "1" } },
};

async function initializeStatus(mcpUrl: string, authorization?: string): Promise<number> {
  const response = await fetch(mcpUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(authorization ? { authorization } : {}),
    },
    body: JSON.stringify(INITIALIZE),
  });
  await response.body?.cancel();
  return response.status;
}

/** "refused (<why>)" or "admitted". */
async function callOutcome(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  try {
    const result = await client.callTool({ name, arguments: args });
    if (!result.isError) return "admitted";
    const text = (result.content as { type: string; text?: string }[] | undefined)?.[0]?.text ?? "isError";
    return `refused (${text.slice(0, 80)})`;
  } catch (error) {
    return `refused (${(error instanceof Error ? error.message : String(error)).slice(0, 80)})`;
  }
}

export async function checkEnforcement(
  mcpUrl: string,
  apiKey: string,
  probes: { allowed: string; denied: string; constrained: { name: string; args: Record<string, unknown> } },
): Promise<EnforcementCheck> {
  const observed: string[] = [];
  const failures: string[] = [];
  const expect = (what: string, got: string, ok: boolean) => {
    observed.push(`${what}: ${got}`);
    if (!ok) failures.push(`${what}: ${got}`);
  };

  const anonymous = await initializeStatus(mcpUrl);
  expect("initialize without a key", String(anonymous), anonymous === 401);
  const wrong = await initializeStatus(mcpUrl, `Bearer ${apiKey.slice(0, -4)}xxxx`);
  expect("initialize with a wrong key", String(wrong), wrong === 401);

  const client = new Client({ name: "only1mcp-soak-check", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${apiKey}` } },
    }),
  );
  try {
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(
      `tools/list shows ${probes.allowed}`,
      String(names.includes(probes.allowed)),
      names.includes(probes.allowed),
    );
    expect(`tools/list hides ${probes.denied}`, String(!names.includes(probes.denied)), !names.includes(probes.denied));
    const denied = await callOutcome(client, probes.denied, {});
    expect(`call ${probes.denied} (denied by policy)`, denied, denied.startsWith("refused"));
    const constrained = await callOutcome(client, probes.constrained.name, probes.constrained.args);
    expect(
      `call ${probes.constrained.name} past its argument constraint`,
      constrained,
      constrained.startsWith("refused"),
    );
    const allowed = await callOutcome(client, probes.allowed, { message: "soak check" });
    expect(`call ${probes.allowed}`, allowed, allowed === "admitted");
  } finally {
    await client.close();
  }
  return { observed, failures };
}
