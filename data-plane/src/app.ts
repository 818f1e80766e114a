import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startAudit } from "./audit/start-audit.ts";
import { anonymousAccess } from "./auth/anonymous-access.ts";
import { CredentialVerifier } from "./auth/credential-verifier.ts";
import { JwtVerifier } from "./auth/jwt-verifier.ts";
import { TokenExchanger } from "./auth/token-exchange.ts";
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
import { SessionRevocations } from "./mcp/session-revocations.ts";
import { SessionStore } from "./mcp/sessions.ts";
import { PolicyEngine } from "./policy/compile-policies.ts";
import { sandboxSettings } from "./sandbox/host.ts";
import { DataKeyring } from "./secrets/data-keys.ts";
import { ensureNodeKey } from "./secrets/node-key.ts";
import { startSecurityRuntime } from "./security/security-runtime.ts";
import { ConfigState } from "./snapshots/apply.ts";
import { FileSnapshotStore } from "./snapshots/store.ts";
import { OffThreadVerifier } from "./snapshots/verify-off-thread.ts";
import { tlsServerOptions } from "./tls/tls-options.ts";
import { UpstreamConnection } from "./upstreams/connection.ts";
import { UpstreamManager } from "./upstreams/manager.ts";

export type DataPlane = {
  server: Server;
  upstreams: UpstreamManager;
  state: ConfigState;
  /** Fleet data keys for sealed secrets (snapshot mode; the heartbeat delivers them). */
  dataKeys: DataKeyring | undefined;
  /** The bound address (useful with port 0). */
  address(): AddressInfo;
  stop(): Promise<void>;
};

/** Wires the data plane together and starts listening; the process-level concerns stay in main.ts. */
export async function startDataPlane(config: DataPlaneConfig, log: Logger): Promise<DataPlane> {
  const trusted = await readTrustedKeysFile(config.trustedKeysFile);
  UpstreamConnection.healthCheckMs = config.healthCheckMs;
  const snapshotStore = new FileSnapshotStore(config.stateDir);
  // Keys a verified snapshot announced before this restart (signing-key rotation).
  if (!config.configFile) {
    const announced = await snapshotStore.readAnnouncedKeys().catch((error: unknown) => {
      log.error("announced signing keys unreadable; trusting the configured keys only", {
        error: (error as Error).message,
      });
      return undefined;
    });
    if (announced)
      await trusted.add(announced).catch((error: unknown) => {
        log.error("announced signing keys invalid; trusting the configured keys only", {
          error: (error as Error).message,
        });
      });
  }
  // Snapshot mode: a key pair of our own, so the control plane can send the fleet data key sealed to us.
  const dataKeys = config.configFile
    ? undefined
    : new DataKeyring(await ensureNodeKey(config.stateDir), config.stateDir);
  await dataKeys?.loadPersisted().catch((error: unknown) => {
    log.error("stored fleet data keys unreadable; waiting for the control plane to send them again", {
      error: (error as Error).message,
    });
    return false;
  });
  const upstreams = new UpstreamManager(log, undefined, config.stdioLimits, () => dataKeys?.map ?? new Map());
  const snapshotVerifier = new OffThreadVerifier();
  const state = new ConfigState({
    trusted,
    store: snapshotStore,
    verify: (jws, keys, now) => snapshotVerifier.verify(jws, keys, now),
    onTrustedKeys: (kids) => log.info("trusted signing keys changed by the applied snapshot", { kids }),
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
  const sessions = new SessionStore({ secret: config.sessionSecret });
  // With Redis, a DELETE on any replica ends the session on every replica.
  const revocations = security.redis
    ? new SessionRevocations(security.redis, config.redisPrefix, (id) => sessions.revokeLocally(id), log)
    : undefined;
  if (revocations) {
    sessions.onDelete = (id, expiresAt) => revocations.revoke(id, expiresAt);
    void revocations.start();
  }
  const endpoint = new McpEndpoint(upstreams, sessions);
  upstreams.setServerRequestRouter(endpoint.clientRequests.route);
  // A legacy call whose answer is plain JSON gets the upstream's requests on its session's GET stream.
  endpoint.clientRequests.sendToSession = (sessionId, message) => hub.sendToSession(sessionId, message);

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
    rateLimitStatus: security.rateLimitStatus,
    auditStats: audit.stats,
    audit: audit.sink,
    cache,
    requestLimits: security.requestLimits,
    anonymous: () => anonymousAccess(state.current()?.payload),
    tokenExchange: new TokenExchanger(),
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
    dataKeys,
    address: () => server.address() as AddressInfo,
    stop() {
      stopping ??= (async () => {
        watcher?.close();
        hub.close();
        await revocations?.stop();
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
