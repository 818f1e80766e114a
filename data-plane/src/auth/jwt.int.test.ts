import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everythingCommand, payload } from "../testing/fixtures.ts";
import { type RunningPlane, startPlane, waitFor } from "../testing/process.ts";

/**
 * JWT access tokens against the real data plane process, with the issuer's JWKS
 * served by a real local HTTP server: RS256 and ES256, iss/aud/exp/nbf, scopes,
 * RFC 9728 metadata and the WWW-Authenticate challenges.
 */

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
type Signer = { kid: string; alg: "RS256" | "ES256"; privateKey: PrivateKey; publicJwk: JWK };

async function signer(alg: "RS256" | "ES256", kid: string): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

const ISSUER = "https://issuer.only1mcp.test";
const AUDIENCE = "mcp-proxy";
let rsa: Signer;
let ec: Signer;
let forger: Signer;
let jwksServer: Server;
let jwksFetches = 0;
let dir: string;
let plane: RunningPlane;

type Claims = Record<string, unknown>;

async function token(s: Signer, claims: Claims = {}, options: { exp?: string | number; nbf?: number } = {}) {
  const jwt = new SignJWT({ tenant: "tenant-jwt", scope: "mcp:tools mcp:read", ...claims })
    .setProtectedHeader({ alg: s.alg, kid: s.kid, typ: "at+jwt" })
    .setIssuer((claims.iss as string) ?? ISSUER)
    .setAudience((claims.aud as string) ?? AUDIENCE)
    .setSubject("user-1")
    .setIssuedAt()
    .setExpirationTime(options.exp ?? "5m");
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
  return jwt.sign(s.privateKey);
}

async function initialize(bearer: string) {
  const res = await fetch(`${plane.url}/mcp`, {
    method: "POST",
    headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "jwt", version: "1" } },
    }),
  });
  return {
    status: res.status,
    challenge: res.headers.get("www-authenticate"),
    session: res.headers.get("mcp-session-id"),
    body: await res.json(),
  };
}

beforeAll(async () => {
  rsa = await signer("RS256", "rsa-1");
  ec = await signer("ES256", "ec-1");
  forger = await signer("RS256", "rsa-1"); // same kid, different key
  jwksServer = createServer((req, res) => {
    if (req.url !== "/jwks.json") return void res.writeHead(404).end();
    jwksFetches++;
    res
      .writeHead(200, { "Content-Type": "application/json" })
      .end(JSON.stringify({ keys: [rsa.publicJwk, ec.publicJwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
  const jwksPort = (jwksServer.address() as AddressInfo).port;
  dir = await mkdtemp(path.join(tmpdir(), "dp-jwt-"));
  const config = {
    ...payload(1, [
      {
        id: "ten_jwt",
        slug: "tenant-jwt",
        name: "JWT",
        upstreams: [{ id: "ups_e", name: "everything", transport: "stdio", ...everythingCommand(), env: {} }],
        policies: [
          { id: "pol_viewer", name: "viewer", rules: { appliesTo: { roles: ["viewer"] }, tools: { allow: ["echo"] } } },
        ],
      },
    ]),
    security: {
      auth: {
        required: true,
        jwt: {
          algorithm: ["RS256", "ES256"],
          issuer: ISSUER,
          audience: AUDIENCE,
          jwks_url: `http://127.0.0.1:${jwksPort}/jwks.json`,
          required_scopes: ["mcp:tools"],
        },
      },
    },
  };
  const file = path.join(dir, "config.yaml");
  await writeFile(file, JSON.stringify(config));
  plane = await startPlane({ DATA_PLANE_STATE_DIR: path.join(dir, "state") }, ["--config", file]);
  await waitFor(async () => {
    const s = (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as { upstreams: { state: string }[] };
    return s.upstreams[0]?.state === "ready" ? true : undefined;
  }, "upstream ready");
}, 60_000);

afterAll(async () => {
  await plane?.stop();
  await new Promise((resolve) => jwksServer?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe("JWT access tokens", () => {
  it("accepts RS256 and ES256 tokens from the issuer's JWKS, fetched once and cached", async () => {
    const before = jwksFetches;
    expect((await initialize(await token(rsa))).status).toBe(200);
    expect((await initialize(await token(ec))).status).toBe(200);
    const again = await token(rsa);
    expect((await initialize(again)).status).toBe(200);
    expect((await initialize(again)).status).toBe(200);
    expect(jwksFetches - before).toBeLessThanOrEqual(1);
  });

  it("refuses expired, not-yet-valid, wrong-audience, wrong-issuer, forged and unknown-tenant tokens with 401", async () => {
    const now = Math.floor(Date.now() / 1000);
    const bad = {
      expired: await token(rsa, {}, { exp: now - 3600 }),
      notYet: await token(rsa, {}, { nbf: now + 3600 }),
      audience: await token(rsa, { aud: "another-resource" }),
      issuer: await token(rsa, { iss: "https://evil.example" }),
      forged: await token(forger),
      tenant: await token(rsa, { tenant: "someone-else" }),
      alg: `${(await token(rsa)).split(".").slice(0, 2).join(".")}.`,
    };
    for (const [name, jwt] of Object.entries(bad)) {
      const res = await initialize(jwt);
      expect(res.status, name).toBe(401);
      expect(res.challenge, name).toMatch(
        /^Bearer resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource", scope="mcp:tools"$/,
      );
    }
  });

  it("a valid token without the required scope gets 403 insufficient_scope", async () => {
    const res = await initialize(await token(rsa, { scope: "mcp:read" }));
    expect(res.status).toBe(403);
    expect(res.challenge).toContain('error="insufficient_scope"');
    expect(res.challenge).toContain('scope="mcp:tools"');
    expect(res.body).toMatchObject({ error: { data: { code: "INSUFFICIENT_SCOPE" } } });
  });

  it("roles in the token select policies", async () => {
    const viewer = await token(rsa, { roles: ["viewer"] });
    const init = await initialize(viewer);
    const list = await fetch(`${plane.url}/mcp`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${viewer}`,
        "Content-Type": "application/json",
        Accept: "application/json",
        "Mcp-Session-Id": init.session ?? "",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
    });
    const tools = ((await list.json()) as { result: { tools: { name: string }[] } }).result.tools.map((t) => t.name);
    expect(tools).toEqual(["everything__echo"]);
  });

  it("publishes RFC 9728 metadata naming the issuer and scopes", async () => {
    const meta = (await (await fetch(`${plane.url}/.well-known/oauth-protected-resource`)).json()) as Record<
      string,
      unknown
    >;
    expect(meta).toMatchObject({
      resource: expect.stringMatching(/\/mcp$/),
      authorization_servers: [ISSUER],
      scopes_supported: ["mcp:tools"],
      bearer_methods_supported: ["header"],
    });
  });
});
