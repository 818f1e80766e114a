import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startAudit } from "./audit/start-audit.ts";
import { CredentialVerifier } from "./auth/credential-verifier.ts";
import { JwtVerifier } from "./auth/jwt-verifier.ts";
import { startCache } from "./cache/start-cache.ts";
import type { DataPlaneConfig } from "./config/env.ts";
import { loadConfigFile } from "./config/file-config.ts";
import { readTrustedKeysFile } from "./config/trusted-keys-file.ts";
import { watchFile } from "./config/watch.ts";
import { NotificationHub } from "./http/notification-hub.ts";
import { createHttpServer } from "./http/server.ts";
import { KeyIndex } from "./keys/key-index.ts";
import { BcryptApiKeyVerifier } from "./keys/verifier.ts";
import type { Logger } from "./log/logger.ts";
import { McpEndpoint } from "./mcp/endpoint.ts";
import { SessionStore } from "./mcp/sessions.ts";
import { PolicyEngine } from "./policy/compile-policies.ts";
import { sandboxSettings } from "./sandbox/host.ts";
import { startSecurityRuntime } from "./security/security-runtime.ts";
import { ConfigState } from "./snapshots/apply.ts";
import { FileSnapshotStore } from "./snapshots/store.ts";
import { OffThreadVerifier } from "./snapshots/verify-off-thread.ts";
import { tlsServerOptions } from "./tls/tls-options.ts";
import { UpstreamManager } from "./upstreams/manager.ts";

export type DataPlane = {
  server: Server;
  upstreams: UpstreamManager;
  state: ConfigState;
  /** The bound address (useful with port 0). */
  address(): AddressInfo;
  stop(): Promise<void>;
};

/** Wires the data plane together and starts listening; the process-level concerns stay in main.ts. */
export async function startDataPlane(config: DataPlaneConfig, log: Logger): Promise<DataPlane> {
  const trusted = await readTrustedKeysFile(config.trustedKeysFile);
  const upstreams = new UpstreamManager(log, undefined, config.stdioLimits);
  const snapshotVerifier = new OffThreadVerifier();
  const state = new ConfigState({
    trusted,
    store: new FileSnapshotStore(config.stateDir),
    verify: (jws, keys, now) => snapshotVerifier.verify(jws, keys, now),
    onApply: (applied) => {
      sandboxSettings.set(applied.payload.security?.sandbox);
      upstreams.sync(applied.payload);
    },
  });
  const security = startSecurityRuntime(config, () => state.current(), log);
  const audit = startAudit(config, () => state.current(), log);
  const cache = startCache(
    { redis: security.redis, cacheKey: config.cacheKey, redisPrefix: config.redisPrefix },
    () => state.current()?.hash ?? "none",
    log,
  );
  const verifier = new BcryptApiKeyVerifier({
    currentIndex: () => state.current()?.keyIndex ?? KeyIndex.empty(),
    failures: security.authFailures,
  });
  const credentials = new CredentialVerifier(verifier, new JwtVerifier(), () => state.current());
  const jwtSettings = () => state.current()?.payload.security?.auth?.jwt;
  const hub = new NotificationHub();
  upstreams.onTenantChange((tenantId) => hub.tenantChanged(tenantId));
  const endpoint = new McpEndpoint(upstreams, new SessionStore({ secret: config.sessionSecret }));

  let watcher: { close(): void } | undefined;
  if (config.configFile) {
    const file = config.configFile;
    const reload = async (boot: boolean) => {
      const loaded = await loadConfigFile(file);
      if (!loaded.ok) {
        if (boot) throw new Error(loaded.message);
        log.error("config file invalid; keeping the previous configuration", { file, reason: loaded.message });
        return;
      }
      if (state.current()?.hash === loaded.config.hash) return;
      await state.applyLocal(loaded.config);
      log.info("config file applied", { file, version: loaded.config.version, hash: loaded.config.hash });
    };
    await reload(true);
    watcher = watchFile(file, () => void reload(false).catch((error) => log.error("config reload failed", { error })));
  } else {
    if (trusted.size === 0)
      log.warn("no trusted snapshot keys configured (ONLY1MCP_TRUSTED_KEYS_FILE); every snapshot will be refused");
    const lkg = await state.loadLastKnownGood();
    if (lkg?.ok) log.info("serving last-known-good snapshot", { version: lkg.config.version, hash: lkg.config.hash });
    else if (lkg)
      log.error("last-known-good snapshot refused; waiting for a new one", {
        code: lkg.error.code,
        reason: lkg.error.message,
      });
  }

  const server = createHttpServer({
    state,
    upstreams,
    endpoint,
    verifier: credentials,
    requiredScopes: () => jwtSettings()?.required_scopes ?? [],
    resourceMetadata: () => {
      const jwt = jwtSettings();
      return jwt
        ? { authorization_servers: [jwt.issuer], scopes_supported: jwt.required_scopes }
        : { authorization_servers: [] };
    },
    policies: () => state.current()?.policies ?? PolicyEngine.empty(),
    guard: security.guard,
    audit: audit.sink,
    cache,
    requestLimits: security.requestLimits,
    hub,
    log,
    fallbackHost: `${config.host}:${config.port}`,
    // TLS settings are read at boot (from the configuration loaded above); a change needs a restart.
    tls: tlsServerOptions(state.current()?.payload.security, config.tls),
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", (error) => log.error("http server error", { error }));

  let stopping: Promise<void> | undefined;
  return {
    server,
    upstreams,
    state,
    address: () => server.address() as AddressInfo,
    stop() {
      stopping ??= (async () => {
        watcher?.close();
        hub.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await upstreams.closeAll();
        await security.close();
        await audit.stop();
        await snapshotVerifier.close();
        server.closeAllConnections();
        await closed;
      })();
      return stopping;
    },
  };
}
