import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { payload } from "../testing/fixtures.ts";
import { type RunningPlane, startPlane } from "../testing/process.ts";
import { makeTestCertificates } from "../testing/test-certificates.ts";

/** HTTPS with TLS 1.3 minimum, the seed's cipher suites and mutual TLS, on the real process. */

let dir: string;
let plane: RunningPlane;
let port: number;
const pem: Record<string, Buffer> = {};

type Outcome =
  | { ok: true; status: number; protocol: string; cipher: string; hsts: string | undefined }
  | { ok: false; error: string };

function get(options: { cert?: Buffer; key?: Buffer; maxVersion?: "TLSv1.2" | "TLSv1.3" }): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/healthz",
        ca: pem.ca,
        cert: options.cert,
        key: options.key,
        maxVersion: options.maxVersion,
        agent: false,
      },
      (res) => {
        const socket = res.socket as import("node:tls").TLSSocket;
        const protocol = socket.getProtocol() ?? "";
        const cipher = socket.getCipher().standardName;
        res.resume();
        res.on("end", () =>
          resolve({
            ok: true,
            status: res.statusCode ?? 0,
            protocol,
            cipher,
            hsts: res.headers["strict-transport-security"] as string,
          }),
        );
      },
    );
    req.on("error", (error) => resolve({ ok: false, error: error.message }));
    req.end();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dp-tls-"));
  await makeTestCertificates(dir);
  pem.client = await readFile(path.join(dir, "client.pem"));
  pem["client.key"] = await readFile(path.join(dir, "client.key"));
  pem.ca = await readFile(path.join(dir, "ca.pem"));
  const config = {
    ...payload(1, []),
    security: {
      tls: {
        enabled: true,
        min_version: "1.3",
        cipher_suites: ["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"],
        cert_file: path.join(dir, "server.pem"),
        key_file: path.join(dir, "server.key"),
        client_ca_file: path.join(dir, "ca.pem"),
        require_client_cert: true,
      },
    },
  };
  await writeFile(path.join(dir, "config.yaml"), JSON.stringify(config));
  plane = await startPlane({ DATA_PLANE_STATE_DIR: path.join(dir, "state") }, [
    "--config",
    path.join(dir, "config.yaml"),
  ]);
  port = Number(new URL(plane.url).port);
}, 60_000);

afterAll(async () => {
  await plane?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("transport security", () => {
  it("serves HTTPS over TLS 1.3 with one of the configured suites to a client with a certificate", async () => {
    const res = await get({ cert: pem.client, key: pem["client.key"] });
    expect(res).toMatchObject({ ok: true, status: 200, protocol: "TLSv1.3" });
    if (res.ok) {
      expect(["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]).toContain(res.cipher);
      expect(res.hsts).toContain("max-age=63072000");
    }
  });

  it("refuses TLS 1.2", async () => {
    expect((await get({ cert: pem.client, key: pem["client.key"], maxVersion: "TLSv1.2" })).ok).toBe(false);
  });

  it("mutual TLS: refuses a client without a certificate", async () => {
    expect((await get({})).ok).toBe(false);
  });
});
