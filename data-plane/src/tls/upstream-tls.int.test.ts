import { createHash, X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashKey, makeApiKey, payload } from "../testing/fixtures.ts";
import { type RunningPlane, startPlane, waitFor } from "../testing/process.ts";
import { makeTestCertificates } from "../testing/test-certificates.ts";
import { startV2HttpUpstream } from "../testing/upstreams.ts";

/**
 * TLS toward HTTPS upstreams, on the real process against a real SDK server over
 * node:https that demands a client certificate: mutual TLS, a private CA, and
 * certificate pinning (sha256 of the SPKI). Certificates are made here with openssl.
 */

let dir: string;
let plane: RunningPlane;
let upstream: Awaited<ReturnType<typeof startV2HttpUpstream>>;
let serverPin: string;
const apiKey = makeApiKey();
const clients: Client[] = [];

type Status = { upstreams: { name: string; state: string; error?: string }[] };

async function status(): Promise<Status> {
  return (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as Status;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dp-uptls-"));
  await makeTestCertificates(dir, "upstream-ca");
  const file = (name: string) => path.join(dir, name);
  const ca = await readFile(file("ca.pem"));
  upstream = await startV2HttpUpstream({
    cert: await readFile(file("server.pem")),
    key: await readFile(file("server.key")),
    ca,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: "TLSv1.3",
  });
  // The pin, computed independently of the data plane: sha256 over the DER SPKI.
  const spki = new X509Certificate(await readFile(file("server.pem"))).publicKey.export({
    type: "spki",
    format: "der",
  });
  serverPin = createHash("sha256").update(spki).digest("base64");
  const mtls = { caFile: file("ca.pem"), certFile: file("client.pem"), keyFile: file("client.key") };
  const up = (name: string, tls: Record<string, unknown>) => ({
    id: `ups_${name}`,
    name,
    transport: "http" as const,
    url: upstream.url,
    tls,
  });
  const config = payload(1, [
    {
      id: "ten_tls",
      slug: "tls",
      name: "TLS",
      apiKeys: [{ id: "key_tls", prefix: apiKey.prefix, hash: await hashKey(apiKey.key) }],
      upstreams: [
        up("mutual", mtls),
        up("pinned", { ...mtls, pinSha256: [serverPin] }),
        up("mispinned", { ...mtls, pinSha256: [createHash("sha256").update("another key").digest("base64")] }),
        up("nocert", { caFile: file("ca.pem") }),
        up("systemca", { certFile: mtls.certFile, keyFile: mtls.keyFile }),
      ],
    },
  ]);
  await writeFile(file("config.yaml"), JSON.stringify(config));
  plane = await startPlane({ DATA_PLANE_STATE_DIR: file("state") }, ["--config", file("config.yaml")]);
  await waitFor(async () => {
    const { upstreams } = await status();
    const settled = upstreams.filter((u) => u.state === "ready" || (u.state === "down" && u.error));
    return settled.length === 5 ? true : undefined;
  }, "every upstream to connect or fail");
}, 90_000);

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await plane?.stop();
  await upstream?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("TLS toward HTTPS upstreams", () => {
  it("presents the client certificate (mutual TLS) and trusts the configured CA", async () => {
    const { upstreams } = await status();
    expect(upstreams.find((u) => u.name === "mutual")?.state).toBe("ready");
    expect(upstream.clientNames).toContain("client");
    const client = new Client({ name: "upstream-tls-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${plane.url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${apiKey.key}` } },
      }),
    );
    clients.push(client);
    const result = await client.callTool({ name: "mutual__echo", arguments: { message: "over mtls" } });
    expect(JSON.stringify(result.content)).toContain("v2:over mtls");
    const pinned = await client.callTool({ name: "pinned__echo", arguments: { message: "pinned" } });
    expect(JSON.stringify(pinned.content)).toContain("v2:pinned");
  });

  it("refuses an upstream whose key matches no pin, naming the key it saw", async () => {
    const { upstreams } = await status();
    const mispinned = upstreams.find((u) => u.name === "mispinned");
    expect(mispinned?.state).toBe("down");
    expect(mispinned?.error).toContain("certificate pin mismatch");
    expect(mispinned?.error).toContain(`sha256/${serverPin}`);
    expect(upstreams.find((u) => u.name === "pinned")?.state).toBe("ready");
  });

  it("fails without a client certificate, and without the private CA", async () => {
    const { upstreams } = await status();
    expect(upstreams.find((u) => u.name === "nocert")?.state).toBe("down");
    const systemCa = upstreams.find((u) => u.name === "systemca");
    expect(systemCa?.state).toBe("down");
    expect(systemCa?.error).toMatch(/certificate/i);
  });

  it("refuses a client certificate without its key in the schema", async () => {
    const { upstreamTlsSchema } = await import("../snapshots/schema.ts");
    const parsed = upstreamTlsSchema.safeParse({ certFile: "/x.pem" });
    expect(parsed.success).toBe(false);
    expect(upstreamTlsSchema.safeParse({ pinSha256: ["not-a-pin"] }).success).toBe(false);
  });
});
