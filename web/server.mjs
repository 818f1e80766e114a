// The web process: starts the control plane (it owns the embedded database), then
// serves the Next.js console and /api/v1 on node:http. Plain ESM so it runs without
// a build step of its own; run `next build` first (npm run build -w web).
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";

const webDir = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.WEB_PORT ?? 3000);
// The public URL always uses `localhost` (SSO redirect URIs are registered on it).
const host = process.env.WEB_HOST ?? "localhost";

function log(msg, fields = {}) {
  console.info(JSON.stringify({ time: new Date().toISOString(), level: "info", component: "web", msg, ...fields }));
}

function fail(msg, error) {
  console.error(JSON.stringify({ time: new Date().toISOString(), level: "error", component: "web", msg }), error ?? "");
}

process.env.NEXT_TELEMETRY_DISABLED ??= "1";
process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  fail(`WEB_PORT must be a TCP port, got ${process.env.WEB_PORT}`);
  process.exit(1);
}
if (!process.env.NEXTAUTH_SECRET) {
  fail("NEXTAUTH_SECRET is required (a long random string); refusing to start");
  process.exit(1);
}

let cp;
let app;
let server;
let stopping = false;

async function stop(code, reason) {
  if (stopping) return;
  stopping = true;
  log("stopping", { reason });
  const forced = setTimeout(() => {
    fail("shutdown timed out; exiting");
    process.exit(1);
  }, 10_000);
  forced.unref();
  if (server?.listening) {
    server.closeIdleConnections();
    await new Promise((resolve) => server.close(() => resolve(undefined)));
  }
  await app?.close?.();
  await cp?.stopControlPlane();
  process.exit(code);
}

process.on("SIGINT", () => void stop(0, "SIGINT"));
process.on("SIGTERM", () => void stop(0, "SIGTERM"));

try {
  cp = await import("@only1mcp/control-plane");
  await cp.startControlPlane(process.env);

  app = next({ dev: false, dir: webDir, hostname: "localhost", port });
  const handle = app.getRequestHandler();
  await app.prepare();

  server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      fail("request failed", error);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.statusCode = 500;
      res.setHeader("content-type", "application/json; charset=utf-8");
      res.end(JSON.stringify({ code: "INTERNAL", message: "Internal error.", requestId: null }));
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(undefined);
    });
  });
  log("console listening", { url: `http://localhost:${port}` });
} catch (error) {
  // Next installs its own uncaughtException handler, which would keep a process
  // that never listened alive: fail loudly and exit instead.
  fail("the console failed to start", error);
  await stop(1, "startup failure");
}
