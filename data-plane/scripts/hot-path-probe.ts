// Hot-path probe (not the benchmark harness, which lives in bench/): starts the built
// data plane with a local config fronting the bench echo upstream, drives tools/call
// with a keep-alive load loop and prints gateway CPU per call and added latency.
//   npx tsc -p data-plane/tsconfig.build.json
//   node --import tsx data-plane/scripts/hot-path-probe.ts [stdio|http] [--cpu-prof]
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { runLoad } from "../../bench/src/load.ts";
import { cpuSeconds, memoryMb } from "../../bench/src/proc-stats.ts";
import { hashKey, makeApiKey } from "../src/testing/fixtures.ts";
import { REPO_ROOT } from "../src/testing/process.ts";

const mode = process.argv[2] === "http" ? "http" : "stdio";
const profile = process.argv.includes("--cpu-prof");
const distFlag = process.argv.indexOf("--dist");
const MAIN =
  distFlag === -1
    ? path.join(REPO_ROOT, "data-plane/dist/main.js")
    : path.resolve(process.argv[distFlag + 1] ?? "", "main.js");
const seconds = Number(process.env.PROBE_SECONDS ?? 5);
const ECHO = path.join(REPO_ROOT, "bench/src/echo-upstream.ts");

function readyLine(proc: ChildProcess, match: (line: string) => number | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    let pending = "";
    const onData = (chunk: Buffer) => {
      pending += chunk.toString();
      for (let nl = pending.indexOf("\n"); nl !== -1; nl = pending.indexOf("\n")) {
        const port = match(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
        if (port) resolve(port);
      }
    };
    proc.stdout?.on("data", onData);
    proc.stderr?.on("data", onData);
    proc.once("exit", (code) => reject(new Error(`exited ${code}`)));
  });
}

const jsonPort = (line: string) => {
  try {
    const r = JSON.parse(line) as { port?: number; msg?: string };
    return r.port && (r.msg === undefined || r.msg === "data plane listening") ? r.port : undefined;
  } catch {
    return undefined;
  }
};

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "probe-"));
  const { key, prefix } = makeApiKey();
  const upstreamCmd = [process.execPath, "--import", "tsx", ECHO];
  let upstreamProc: ChildProcess | undefined;
  let upstreamDef: Record<string, unknown>;
  let directUrl: string | undefined;
  if (mode === "http") {
    upstreamProc = spawn(upstreamCmd[0] as string, [...upstreamCmd.slice(1), "http", "0"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const port = await readyLine(upstreamProc, jsonPort);
    directUrl = `http://127.0.0.1:${port}/mcp`;
    upstreamDef = { id: "ups_echo", name: "echo", transport: "http", url: directUrl };
  } else {
    upstreamDef = {
      id: "ups_echo",
      name: "echo",
      transport: "stdio",
      command: process.execPath,
      args: ["--import", "tsx", ECHO, "stdio"],
      env: {},
      cwd: REPO_ROOT,
    };
  }
  const config = {
    schema: "snapshot.v1",
    version: 1,
    issuedAt: new Date().toISOString(),
    tenants: [
      {
        id: "ten_probe",
        slug: "probe",
        name: "Probe",
        apiKeys: [{ id: "key_probe", prefix, hash: await hashKey(key, 4) }],
        upstreams: [upstreamDef],
      },
    ],
  };
  const file = path.join(dir, "config.yaml");
  await writeFile(file, stringify(config));
  const nodeArgs = profile ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
  const plane = spawn(process.execPath, [...nodeArgs, MAIN, "--config", file], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DATA_PLANE_PORT: "0",
      DATA_PLANE_STATE_DIR: dir,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const port = await readyLine(plane, jsonPort);
  const url = `http://127.0.0.1:${port}/mcp`;
  const headers: Record<string, string> = {
    authorization: `Bearer ${key}`,
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
  };
  for (let i = 0; i < 200; i++) {
    const s = (await (await fetch(`http://127.0.0.1:${port}/_only1mcp/status`)).json()) as {
      upstreams: { state: string }[];
    };
    if (s.upstreams[0]?.state === "ready") break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const init = await fetch(url, {
    method: "POST",
    headers,
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "probe", version: "1" } },
    }),
  });
  const sid = init.headers.get("mcp-session-id") ?? "";
  const callBody = (i: number) =>
    JSON.stringify({
      jsonrpc: "2.0",
      id: i,
      method: "tools/call",
      params: { name: "echo__echo", arguments: { message: `hello ${i}` } },
    });
  const target = {
    url,
    headers: { ...headers, "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25" },
    body: callBody,
  };
  await runLoad(target, { concurrency: 8, durationMs: 1500 }); // warm-up
  const pid = plane.pid as number;
  const cpu0 = cpuSeconds(pid);
  const c32 = await runLoad(target, { concurrency: 32, durationMs: seconds * 1000 });
  const cpu1 = cpuSeconds(pid);
  const c1 = await runLoad(target, { concurrency: 1, durationMs: seconds * 1000 });
  const bare = await bareHttpCpuPerCall();
  const out: Record<string, unknown> = {
    mode,
    bareNodeHttp: bare,
    gatewayCpuRatioToBare: ((cpu1 - cpu0) * 1e6) / c32.requests / bare.cpuUsPerCall,
    c32: { ...c32, gatewayCpuUsPerCall: ((cpu1 - cpu0) * 1e6) / c32.requests },
    c1,
    memory: memoryMb(pid),
  };
  if (directUrl) {
    const directTarget = {
      url: directUrl,
      headers: { ...headers, "mcp-protocol-version": "2025-11-25" },
      body: (i: number) =>
        JSON.stringify({
          jsonrpc: "2.0",
          id: i,
          method: "tools/call",
          params: { name: "echo", arguments: { message: `hello ${i}` } },
        }),
    };
    const d1 = await runLoad(directTarget, { concurrency: 1, durationMs: seconds * 1000 });
    const d32 = await runLoad(directTarget, { concurrency: 32, durationMs: seconds * 1000 });
    out.direct = {
      c1: d1,
      c32: d32,
      addedP50Ms: c1.p50Ms - d1.p50Ms,
      throughputRatio: c32.throughput / d32.throughput,
    };
  }
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  plane.kill("SIGTERM");
  upstreamProc?.kill("SIGTERM");
  await new Promise((r) => plane.once("exit", r));
  if (profile) process.stdout.write(`profile in ${dir}\n`);
}

/** The limit of this machine right now: a bare node:http JSON answer, same load loop. */
async function bareHttpCpuPerCall(): Promise<{ cpuUsPerCall: number; throughput: number }> {
  const code = `require("node:http").createServer((q,s)=>{let b="";q.on("data",c=>b+=c);q.on("end",()=>{const t=JSON.stringify({jsonrpc:"2.0",id:1,result:{content:[{type:"text",text:b.slice(0,20)}]}});s.writeHead(200,{"content-type":"application/json","content-length":Buffer.byteLength(t)});s.end(t)})}).listen(0,"127.0.0.1",function(){console.log(JSON.stringify({port:this.address().port}))})`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await readyLine(child, jsonPort);
  const target = {
    url: `http://127.0.0.1:${port}/`,
    headers: { "content-type": "application/json" },
    body: (i: number) => `{"jsonrpc":"2.0","id":${i},"method":"tools/call","params":{"name":"echo"}}`,
  };
  await runLoad(target, { concurrency: 8, durationMs: 1000 });
  const c0 = cpuSeconds(child.pid as number);
  const r = await runLoad(target, { concurrency: 32, durationMs: seconds * 1000 });
  const c1 = cpuSeconds(child.pid as number);
  child.kill();
  return { cpuUsPerCall: ((c1 - c0) * 1e6) / r.requests, throughput: r.throughput };
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
