import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, jwtVerify } from "jose";
import Provider, { errors, type GrantContext } from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashKey, makeApiKey, payload } from "../testing/fixtures.ts";
import { type RunningPlane, startPlane, waitFor } from "../testing/process.ts";
import { startV2HttpUpstream } from "../testing/upstreams.ts";
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from "./token-exchange.ts";

/**
 * RFC 8693 token exchange toward an upstream, end to end: a real oidc-provider issues
 * the callers' JWT access tokens (client credentials, resource indicators) and performs
 * the exchange through a registered token-exchange grant; the data plane (real process)
 * verifies the caller's token, exchanges it for one bound to the upstream's audience,
 * caches it until it expires, and calls a real SDK upstream that accepts only such tokens.
 */

const DATA_PLANE_AUDIENCE = "https://gateway.test/mcp";
const UPSTREAM_AUDIENCE = "https://upstream.test/mcp";
const GATEWAY_SECRET = "gateway-secret-0123456789abcdef";
const APP_SECRET = "app-secret-0123456789abcdef";
const EXCHANGED_TTL_SECONDS = 6;

let dir: string;
let plane: RunningPlane;
let idp: Server;
let issuer: string;
let upstream: Awaited<ReturnType<typeof startV2HttpUpstream>>;
let publicJwk: JWK;
let exchanges = 0;
const seen: { authorization: string | undefined; sub?: unknown; aud?: unknown; act?: unknown }[] = [];
const apiKey = makeApiKey();
const clients: Client[] = [];

async function startIdp(): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid: "idp-1", alg: "RS256", use: "sig" };
  publicJwk = { ...(await exportJWK(publicKey)), kid: "idp-1", alg: "RS256", use: "sig" };
  const port = await new Promise<number>((resolve) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  issuer = `http://127.0.0.1:${port}`;
  const resourceInfo = (resource: string) => ({
    scope: "mcp",
    audience: resource,
    accessTokenFormat: "jwt",
    accessTokenTTL: resource === UPSTREAM_AUDIENCE ? EXCHANGED_TTL_SECONDS : 300,
    jwt: { sign: { alg: "RS256" } },
  });
  const provider = new Provider(issuer, {
    jwks: { keys: [privateJwk] },
    clients: [
      ...["alice-app", "bob-app"].map((id) => ({
        client_id: id,
        client_secret: APP_SECRET,
        grant_types: ["client_credentials"],
        response_types: [],
        redirect_uris: [],
      })),
      {
        client_id: "only1mcp-gateway",
        client_secret: GATEWAY_SECRET,
        grant_types: [TOKEN_EXCHANGE_GRANT],
        response_types: [],
        redirect_uris: [],
      },
    ],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => DATA_PLANE_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== DATA_PLANE_AUDIENCE && resource !== UPSTREAM_AUDIENCE) throw new errors.InvalidTarget();
          return resourceInfo(resource);
        },
      },
    },
    // The callers' tokens name their tenant (the data plane's tenant claim).
    extraTokenClaims: (_ctx: unknown, token: { clientId?: string }) =>
      token.clientId === "only1mcp-gateway" ? { act: { sub: "only1mcp-gateway" } } : { tenant: "acme" },
  });
  const localJwks = createLocalJWKSet({ keys: [publicJwk] });
  provider.registerGrantType(
    TOKEN_EXCHANGE_GRANT,
    async (ctx: GrantContext) => {
      const { params, client } = ctx.oidc;
      if (params.subject_token_type !== ACCESS_TOKEN_TYPE || !params.subject_token) {
        throw new errors.InvalidRequest("subject_token of type access_token required");
      }
      let subject: string;
      try {
        const verified = await jwtVerify(params.subject_token, localJwks, { issuer, audience: DATA_PLANE_AUDIENCE });
        subject = String(verified.payload.sub);
      } catch {
        throw new errors.InvalidGrant("subject_token is not a valid access token of this issuer");
      }
      if (params.resource !== UPSTREAM_AUDIENCE) throw new errors.InvalidTarget("unknown resource");
      const token = new ctx.oidc.provider.AccessToken({
        accountId: subject,
        client,
        scope: "mcp",
        gty: TOKEN_EXCHANGE_GRANT,
      });
      token.resourceServer = new ctx.oidc.provider.ResourceServer(UPSTREAM_AUDIENCE, resourceInfo(UPSTREAM_AUDIENCE));
      const value = await token.save();
      exchanges++;
      ctx.body = {
        access_token: value,
        issued_token_type: ACCESS_TOKEN_TYPE,
        token_type: "Bearer",
        expires_in: token.expiration,
      };
    },
    ["subject_token", "subject_token_type", "requested_token_type", "audience", "resource", "scope"],
  );
  idp = provider.listen(port);
  await new Promise<void>((resolve) => idp.once("listening", () => resolve()));
}

/** A caller's access token from the IdP (client credentials for the data plane's audience). */
async function callerToken(clientId: string): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${clientId}:${APP_SECRET}`).toString("base64")}`,
    },
    body: new URLSearchParams({ grant_type: "client_credentials", resource: DATA_PLANE_AUDIENCE, scope: "mcp" }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

async function connect(bearer: string): Promise<Client> {
  const client = new Client({ name: "token-exchange-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${plane.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
    }),
  );
  clients.push(client);
  return client;
}

const echo = (client: Client, message: string) =>
  client.callTool({ name: "api__echo", arguments: { message } }).then((r) => JSON.stringify(r));

beforeAll(async () => {
  await startIdp();
  const upstreamJwks = createLocalJWKSet({ keys: [publicJwk] });
  // The upstream accepts tools/call only with a token for its own audience from this issuer.
  upstream = await startV2HttpUpstream(undefined, async (authorization, message) => {
    if ((message as { method?: string }).method !== "tools/call") return undefined;
    const token = authorization?.replace(/^Bearer /, "");
    try {
      const { payload: claims } = await jwtVerify(token ?? "", upstreamJwks, { issuer, audience: UPSTREAM_AUDIENCE });
      seen.push({ authorization, sub: claims.sub, aud: claims.aud, act: claims.act });
      return undefined;
    } catch (error) {
      seen.push({ authorization });
      return `token refused: ${(error as Error).message}`;
    }
  });
  dir = await mkdtemp(path.join(tmpdir(), "dp-tx-"));
  const exchange = {
    tokenEndpoint: `${issuer}/token`,
    clientId: "only1mcp-gateway",
    clientSecretEnv: "TX_GATEWAY_SECRET",
    resource: UPSTREAM_AUDIENCE,
    scope: "mcp",
  };
  const config = {
    ...payload(1, [
      {
        id: "ten_acme",
        slug: "acme",
        name: "Acme",
        apiKeys: [{ id: "key_acme", prefix: apiKey.prefix, hash: await hashKey(apiKey.key) }],
        upstreams: [
          { id: "ups_api", name: "api", transport: "http", url: upstream.url, tokenExchange: exchange },
          {
            id: "ups_wrong",
            name: "wrong",
            transport: "http",
            url: upstream.url,
            tokenExchange: { ...exchange, clientSecretEnv: "TX_WRONG_SECRET" },
          },
        ],
      },
    ]),
    security: {
      auth: {
        jwt: { algorithm: "RS256", issuer, audience: DATA_PLANE_AUDIENCE, jwks_url: `${issuer}/jwks` },
      },
    },
  };
  const file = path.join(dir, "config.yaml");
  await writeFile(file, JSON.stringify(config));
  plane = await startPlane(
    {
      DATA_PLANE_STATE_DIR: path.join(dir, "state"),
      TX_GATEWAY_SECRET: GATEWAY_SECRET,
      TX_WRONG_SECRET: "not-the-secret",
    },
    ["--config", file],
  );
  await waitFor(async () => {
    const status = (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as { upstreams: { state: string }[] };
    return status.upstreams.length === 2 && status.upstreams.every((u) => u.state === "ready") ? true : undefined;
  }, "the upstreams to be ready");
}, 90_000);

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await plane?.stop();
  await upstream?.close();
  await new Promise((resolve) => idp?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe("token exchange toward an upstream (RFC 8693, oidc-provider)", () => {
  let aliceToken: string;

  it("exchanges the caller's token for one bound to the upstream, and never forwards the caller's", async () => {
    aliceToken = await callerToken("alice-app");
    const alice = await connect(aliceToken);
    expect(await echo(alice, "hello")).toContain("v2:hello");
    expect(exchanges).toBe(1);
    const last = seen.at(-1);
    expect(last).toMatchObject({ sub: "alice-app", aud: UPSTREAM_AUDIENCE, act: { sub: "only1mcp-gateway" } });
    expect(seen.every((entry) => !entry.authorization?.includes(aliceToken))).toBe(true);
  });

  it("caches the exchanged token per caller until it expires", async () => {
    const alice = await connect(aliceToken);
    expect(await echo(alice, "again")).toContain("v2:again");
    expect(exchanges).toBe(1);
    const bob = await connect(await callerToken("bob-app"));
    expect(await echo(bob, "bob")).toContain("v2:bob");
    expect(exchanges).toBe(2);
    expect(seen.at(-1)).toMatchObject({ sub: "bob-app", aud: UPSTREAM_AUDIENCE });
    // Past its lifetime (6 s, refreshed 3 s early) the next call exchanges again.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(await echo(alice, "later")).toContain("v2:later");
    expect(exchanges).toBe(3);
  });

  it("refuses clearly when the caller has no exchangeable token or the exchange is refused", async () => {
    const keyed = await connect(apiKey.key);
    await expect(echo(keyed, "x")).rejects.toThrow(/needs a per-user token/);
    const alice = await connect(aliceToken);
    const refused = alice.callTool({ name: "wrong__echo", arguments: { message: "x" } });
    await expect(refused).rejects.toThrow(/token exchange at .* refused \(invalid_client/);
    await expect(refused).rejects.not.toThrow(aliceToken);
  });
});
