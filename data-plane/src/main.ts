import { startDataPlane } from "./app.ts";
import { ConfigError, loadConfig } from "./config/env.ts";
import { startHeartbeat } from "./fleet/heartbeat.ts";
import { createLogger } from "./log/logger.ts";

const bootLog = createLogger({ base: { component: "data-plane" } });

async function main(): Promise<void> {
  const config = loadConfig(process.env, process.argv.slice(2));
  const log = createLogger({
    level: config.logLevel,
    base: { component: "data-plane", ...(config.name ? { node: config.name } : {}) },
  });
  const plane = await startDataPlane(config, log);
  const { address, port } = plane.address();
  log.info("data plane listening", { address, port, mode: config.configFile ? "config-file" : "snapshot" });
  const heartbeat = startHeartbeat({
    env: process.env,
    stateDir: config.stateDir,
    state: plane.state,
    upstreams: plane.upstreams,
    ...(plane.dataKeys ? { dataKeys: plane.dataKeys } : {}),
    log,
    boundUrl: () => `http://${address.includes(":") ? `[${address}]` : address}:${port}`,
  });
  // Last resort: whatever happens, upstream process groups do not outlive us.
  process.on("exit", () => plane.upstreams.killAllNow());
  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    log.info("shutting down", { signal });
    heartbeat?.stop();
    const force = setTimeout(() => {
      log.error("shutdown timed out; killing upstreams");
      process.exit(1);
    }, 15_000);
    force.unref();
    plane.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error("shutdown failed", { error });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main().catch((error: unknown) => {
  bootLog.error(error instanceof ConfigError ? error.message : "data plane failed to start", { error });
  process.exit(1);
});
