// `npm start`: builds what is missing, then runs the console + control plane
// (web/server.mjs) and one data plane with embedded defaults. Ctrl-C stops all.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { buildIfMissing, dataPlaneNodeFlags, root } from "./build-if-missing.mjs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };
const webPort = Number(env.WEB_PORT ?? 3000);
const dataPlanePort = Number(env.DATA_PLANE_PORT ?? 8080);
const dataDir = path.resolve(root, env.ONLY1MCP_DATA_DIR ?? ".data");
const consoleUrl = `http://localhost:${webPort}`;
const dataPlaneUrl = `http://127.0.0.1:${dataPlanePort}`;
const startedAt = Date.now();

buildIfMissing();
mkdirSync(dataDir, { recursive: true, mode: 0o700 });

const { ensureSigningKey, TRUSTED_KEYS_FILE } = await import("@only1mcp/control-plane");
await ensureSigningKey(dataDir, env);

// Shared by the console and the data planes: heartbeats and audit batches carry it.
const nodeToken = env.ONLY1MCP_NODE_TOKEN ?? persistentSecret("node-token");

const children = [];
let stopping = false;

function run(name, args, childEnv) {
  const child = spawn(process.execPath, args, { cwd: root, env: childEnv, stdio: ["ignore", "inherit", "inherit"] });
  children.push({ name, child });
  child.on("exit", (code, signal) => {
    if (stopping) return;
    console.error(`${name} exited (${signal ?? code}); stopping everything.`);
    void stop(1);
  });
  return child;
}

run("data plane", [...dataPlaneNodeFlags(), "data-plane/dist/main.js"], {
  ...env,
  DATA_PLANE_PORT: String(dataPlanePort),
  ONLY1MCP_DATA_DIR: dataDir,
  DATA_PLANE_STATE_DIR: path.join(dataDir, "data-plane"),
  ONLY1MCP_TRUSTED_KEYS_FILE: path.join(dataDir, TRUSTED_KEYS_FILE),
  ONLY1MCP_CONTROL_PLANE_URL: env.ONLY1MCP_CONTROL_PLANE_URL ?? consoleUrl,
  ONLY1MCP_NODE_TOKEN: nodeToken,
  DATA_PLANE_PUBLIC_URL: env.DATA_PLANE_PUBLIC_URL ?? dataPlaneUrl,
});
run("console", ["web/server.mjs"], {
  ...env,
  WEB_PORT: String(webPort),
  ONLY1MCP_DATA_DIR: dataDir,
  ONLY1MCP_DATA_PLANE_URLS: env.ONLY1MCP_DATA_PLANE_URLS ?? dataPlaneUrl,
  ONLY1MCP_CONSOLE_URL: consoleUrl,
  NEXTAUTH_URL: env.NEXTAUTH_URL ?? consoleUrl,
  NEXTAUTH_SECRET: env.NEXTAUTH_SECRET ?? persistentSecret("auth-secret"),
  ONLY1MCP_NODE_TOKEN: nodeToken,
});

async function stop(code) {
  if (stopping) return;
  stopping = true;
  const exits = children.map(({ child }) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => child.once("exit", resolve)),
  );
  for (const { child } of children) child.kill("SIGTERM");
  const timer = setTimeout(() => {
    for (const { child } of children) child.kill("SIGKILL");
  }, 10_000);
  await Promise.all(exits);
  clearTimeout(timer);
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

await waitUntilReady();
const demo = JSON.parse(readFileSync(path.join(dataDir, "demo.json"), "utf8"));
console.info(
  [
    "",
    `Only1MCP is running (ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s). Ctrl-C stops everything.`,
    `  Console   ${demo.consoleUrl}   (sign in as ${demo.adminEmail} / ${demo.adminPassword})`,
    `  MCP       ${demo.mcpUrl}   (Authorization: Bearer ${demo.apiKey})`,
    `  API token ${demo.adminToken}`,
    `  Demo credentials: ${path.join(dataDir, "demo.json")}`,
    "",
  ].join("\n"),
);

async function waitUntilReady() {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline && !stopping) {
    if (
      existsSync(path.join(dataDir, "demo.json")) &&
      (await ok(`${dataPlaneUrl}/readyz`)) &&
      (await ok(`${consoleUrl}/login`))
    ) {
      return;
    }
    await sleep(500);
  }
  if (!stopping) {
    console.error("Only1MCP did not become ready within 5 minutes.");
    await stop(1);
  }
}

async function ok(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000), redirect: "manual" });
    return response.status < 400;
  } catch {
    return false;
  }
}

function persistentSecret(name) {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
