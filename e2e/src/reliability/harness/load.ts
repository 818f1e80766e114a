// A fixed-rate load of MCP tools/call through the official SDK client. A client
// that fails is dropped and a new one connects (re-initialises) on the next tick,
// the way a real MCP client recovers from a gateway restart.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

export type LoadOptions = {
  mcpUrl: string;
  apiKey: string;
  /** Requests started per second, whatever the answers' speed (open loop). */
  ratePerSecond: number;
  /** SDK clients (MCP sessions) used round-robin. */
  clients?: number;
  /** A request still running after this is counted as an error. */
  timeoutMs?: number;
  tool?: string;
};

export type LoadOutcome = { at: number; ok: boolean; ms: number; error?: string };

export type LoadStats = {
  sent: number;
  ok: number;
  failed: number;
  errors: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  outcomes: LoadOutcome[];
};

export type RunningLoad = {
  stats(): LoadStats;
  /** Resolves once `n` more requests succeeded than when called. */
  waitForOk(n: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<LoadStats>;
};

export function startLoad(options: LoadOptions): RunningLoad {
  const slots: (Promise<Client> | undefined)[] = new Array(options.clients ?? 2).fill(undefined);
  const outcomes: LoadOutcome[] = [];
  const inFlight = new Set<Promise<void>>();
  let tick = 0;
  let sent = 0;

  const connect = async (): Promise<Client> => {
    const client = new Client({ name: "only1mcp-chaos-load", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(options.mcpUrl), {
        requestInit: { headers: { Authorization: `Bearer ${options.apiKey}` } },
      }),
    );
    return client;
  };

  const once = async (slot: number) => {
    const started = Date.now();
    let pending = slots[slot];
    try {
      if (pending === undefined) {
        pending = connect();
        slots[slot] = pending;
      }
      const client = await pending;
      const result = await client.callTool(
        { name: options.tool ?? "everything__echo", arguments: { message: `load ${started}` } },
        undefined,
        { timeout: options.timeoutMs ?? 10_000 },
      );
      if (result.isError) throw new Error("tool returned isError");
      outcomes.push({ at: started, ok: true, ms: Date.now() - started });
    } catch (error) {
      if (slots[slot] === pending) slots[slot] = undefined;
      void pending?.then((client) => client.close()).catch(() => undefined);
      outcomes.push({ at: started, ok: false, ms: Date.now() - started, error: summarise(error) });
    }
  };

  const timer = setInterval(() => {
    sent += 1;
    const slot = tick++ % slots.length;
    const request = once(slot).finally(() => inFlight.delete(request));
    inFlight.add(request);
  }, 1000 / options.ratePerSecond);

  const stats = (): LoadStats => {
    const latencies = outcomes
      .filter((o) => o.ok)
      .map((o) => o.ms)
      .sort((a, b) => a - b);
    const errors: Record<string, number> = {};
    for (const o of outcomes) if (!o.ok) errors[o.error ?? "?"] = (errors[o.error ?? "?"] ?? 0) + 1;
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
    return {
      sent,
      ok: latencies.length,
      failed: outcomes.length - latencies.length,
      errors,
      p50Ms: pct(0.5),
      p99Ms: pct(0.99),
      maxMs: latencies.at(-1) ?? 0,
      outcomes: [...outcomes],
    };
  };

  return {
    stats,
    async waitForOk(n, timeoutMs = 60_000) {
      const target = outcomes.filter((o) => o.ok).length + n;
      const deadline = Date.now() + timeoutMs;
      while (outcomes.filter((o) => o.ok).length < target) {
        if (Date.now() > deadline)
          throw new Error(`load: ${n} successes not reached: ${JSON.stringify(stats().errors)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      clearInterval(timer);
      await Promise.allSettled([...inFlight]);
      await Promise.allSettled(
        slots.map(async (slot) => {
          if (slot) await (await slot).close();
        }),
      );
      return stats();
    },
  };
}

function summarise(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Group by kind, not by the per-request details.
  return message.replace(/\d+/g, "N").slice(0, 120);
}
