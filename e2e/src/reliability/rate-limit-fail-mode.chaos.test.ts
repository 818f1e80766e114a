import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordFigures } from "./harness/figures.ts";
import { type PrivateRedis, privateRedis } from "./harness/private-redis.ts";
import { type RunningPlane, type SignedPlane, signedPlane, waitFor } from "./harness/signed-plane.ts";

const LIMIT = 5;
const MODES = ["local", "open", "closed"] as const;
type Mode = (typeof MODES)[number];
type RateLimits = {
  store: string;
  failMode: Mode;
  available: boolean;
  unavailableSince?: string;
  whileUnavailable: { admitted: number; refused: number };
};

async function call(plane: RunningPlane, apiKey: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${plane.url}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${apiKey}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "chaos", version: "1" } },
    }),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, text: await response.text() };
}

async function statuses(plane: RunningPlane, apiKey: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call(plane, apiKey)).status);
  return out;
}

async function rateLimits(plane: RunningPlane): Promise<RateLimits> {
  const body = (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as { rateLimits: RateLimits };
  return body.rateLimits;
}

// Three data planes share one private Redis (fleet-wide counters), each configured
// with another DATA_PLANE_RATE_LIMIT_FAIL_MODE. Redis is SIGKILLed, then restarted.
describe("Redis down: rate limiting fails the way it is configured, and says so", () => {
  let redis: PrivateRedis;
  const fixtures = new Map<Mode, SignedPlane>();
  const planes = new Map<Mode, RunningPlane>();

  beforeAll(async () => {
    redis = await privateRedis();
    await Promise.all(
      MODES.map(async (mode) => {
        const fixture = await signedPlane([], {
          security: { rate_limiting: { per_client_limit: LIMIT, window_seconds: 60 } },
          env: {
            REDIS_URL: redis.url,
            ONLY1MCP_REDIS_PREFIX: `chaos-${mode}`,
            DATA_PLANE_RATE_LIMIT_FAIL_MODE: mode,
          },
        });
        fixtures.set(mode, fixture);
        const plane = await fixture.start();
        planes.set(mode, plane);
        expect((await fixture.push(plane, 1)).status).toBe(200);
      }),
    );
  });

  afterAll(async () => {
    await Promise.all([...planes.values()].map((plane) => plane.stop()));
    await Promise.all([...fixtures.values()].map((fixture) => fixture.cleanup()));
    await redis?.destroy();
  });

  it("local counts per node, open admits, closed refuses with a clear 429; each logs and reports it, then recovers", async () => {
    const get = (mode: Mode) => ({
      plane: planes.get(mode) as RunningPlane,
      key: fixtures.get(mode)?.apiKey as string,
    });
    // Redis up: the limit holds (counters in Redis).
    for (const mode of MODES) {
      const { plane, key } = get(mode);
      expect(await statuses(plane, key, LIMIT + 1)).toEqual([...Array(LIMIT).fill(200), 429]);
      expect(await rateLimits(plane)).toMatchObject({ store: "redis", failMode: mode, available: true });
    }

    await redis.kill();
    const down: Record<Mode, number[]> = { local: [], open: [], closed: [] };
    let closedBody = "";
    for (const mode of MODES) {
      const { plane, key } = get(mode);
      down[mode] = await statuses(plane, key, LIMIT + 2);
      if (mode === "closed") closedBody = (await call(plane, key)).text;
    }
    // local: fresh per-node counters with the same limit; open: everything; closed: nothing.
    expect(down.local).toEqual([...Array(LIMIT).fill(200), 429, 429]);
    expect(down.open).toEqual(Array(LIMIT + 2).fill(200));
    expect(down.closed).toEqual(Array(LIMIT + 2).fill(429));
    expect(closedBody).toContain("RATE_LIMITED");
    expect(closedBody).toContain("configured to fail closed");
    const reported: Record<string, RateLimits> = {};
    for (const mode of MODES) {
      const { plane } = get(mode);
      reported[mode] = await rateLimits(plane);
      expect(reported[mode]).toMatchObject({ store: "redis", failMode: mode, available: false });
      expect(reported[mode]?.unavailableSince).toBeDefined();
      const said = plane.logs.filter((l) => l.includes(`rate-limit store unavailable; failing ${mode}`));
      expect(said).toHaveLength(1);
      expect(await fetch(`${plane.url}/healthz`).then((r) => r.status)).toBe(200);
    }
    expect(reported.open?.whileUnavailable).toEqual({ admitted: LIMIT + 2, refused: 0 });
    expect(reported.closed?.whileUnavailable.refused).toBeGreaterThanOrEqual(LIMIT + 2);
    expect(reported.local?.whileUnavailable).toEqual({ admitted: LIMIT, refused: 2 });

    // Redis back (empty): every plane counts in Redis again and says so.
    await redis.start();
    const restartedAt = Date.now();
    const { plane: closed, key: closedKey } = get("closed");
    await waitFor(
      async () => ((await call(closed, closedKey)).status === 200 ? true : undefined),
      "the fail-closed plane to admit again once Redis is back",
      30_000,
    );
    const recoveryMs = Date.now() - restartedAt;
    for (const mode of MODES) {
      const { plane, key } = get(mode);
      await waitFor(
        async () => {
          if ((await rateLimits(plane)).available) return true;
          await call(plane, key);
          return undefined;
        },
        `${mode} to recover`,
        30_000,
      );
      expect(plane.logs.some((l) => l.includes("rate-limit store available again"))).toBe(true);
    }

    recordFigures({
      "limit per key": `${LIMIT}/60 s`,
      "Redis down, local (per-node counters)": down.local.join(","),
      "Redis down, open": down.open.join(","),
      "Redis down, closed": down.closed.join(","),
      "fail-closed plane admitting again after Redis restart (ms)": recoveryMs,
    });
  });
});
