import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashKey, makeApiKey } from "../testing/fixtures.ts";
import { type RunningPlane, startPlane } from "../testing/process.ts";
import { SEED_SECURITY_BLOCK as SEED_BLOCK } from "../testing/seed-security-block.ts";
import { postStateless } from "../testing/stateless-request.ts";

/**
 * The seed's recommended `security:` block pasted as written (shared/seed/SECURITY.md)
 * into a standalone YAML config: the real process starts with it and enforces its
 * per-client limit (1,000 requests per window per key).
 */

let dir: string;
let plane: RunningPlane;
const keys = { first: makeApiKey(), second: makeApiKey() };

/** One stateless 2026-07-28 ping: one POST, one point of the key's budget. */
const ping = (key: string) => postStateless(plane.url, key, "ping");

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dp-seed-"));
  const head = `schema: snapshot.v1
version: 1
issuedAt: "2026-01-01T00:00:00Z"
tenants:
  - id: ten_seed
    slug: seed
    name: Seed
    apiKeys:
      - { id: key_first, prefix: ${keys.first.prefix}, hash: "${await hashKey(keys.first.key)}" }
      - { id: key_second, prefix: ${keys.second.prefix}, hash: "${await hashKey(keys.second.key)}" }
`;
  const file = path.join(dir, "only1mcp.yaml");
  await writeFile(file, head + SEED_BLOCK);
  plane = await startPlane({ DATA_PLANE_STATE_DIR: path.join(dir, "state") }, ["--config", file]);
}, 60_000);

afterAll(async () => {
  await plane?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("the seed's security block in a standalone config, on the real process", () => {
  it("starts with it and enforces per_client_limit: 1000 per key", async () => {
    expect((await fetch(`${plane.url}/readyz`)).status).toBe(200);
    let accepted = 0;
    for (let batch = 0; batch < 10; batch++) {
      const answers = await Promise.all(Array.from({ length: 100 }, () => ping(keys.first.key)));
      accepted += answers.filter((answer) => answer.status === 200).length;
    }
    expect(accepted).toBe(1000);
    const refused = await ping(keys.first.key);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await ping(keys.second.key)).status).toBe(200);
  });

  it("requires a credential (auth.required: true) and refuses tokens it cannot verify", async () => {
    const missing = await fetch(`${plane.url}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: "{}",
    });
    expect(missing.status).toBe(401);
    // A JWT-shaped token: the seed's jwt block names no JWKS, so no token verifies.
    expect((await ping("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")).status).toBe(401);
  });
});
