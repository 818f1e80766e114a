import type { Logger } from "../log/logger.ts";
import { referencedSecrets, resolveUpstreamSecrets } from "../secrets/resolve-upstream-secrets.ts";
import { canonicalJson, sha256Hex } from "../snapshots/canonical.ts";
import type { SnapshotPayload, UpstreamEntry } from "../snapshots/schema.ts";
import { type ServerRequestRouter, UpstreamConnection, type UpstreamState, type UpstreamTool } from "./connection.ts";
import { disambiguate, exposedName } from "./naming.ts";
import { type ReplicaStatus, ReplicatedUpstream } from "./replicated-upstream.ts";

export type ToolRoute = { connection: UpstreamConnection; toolName: string };

export type UpstreamStatus = {
  tenant: string;
  upstreamId: string;
  name: string;
  transport: UpstreamEntry["transport"];
  state: UpstreamState;
  /** Present when the circuit breaker is not closed (see src/upstreams/circuit-breaker.ts). */
  circuit?: "open" | "half-open";
  consecutiveFailures?: number;
  tools?: number;
  error?: string;
  pid?: number;
  /** Upstreams with replicas: each endpoint's state and calls in flight. */
  replicas?: ReplicaStatus[];
  /** Stateful stdio upstreams: per-session processes running. */
  sessionProcesses?: number;
};

/** Caps on stdio processes, so no tenant (and no snapshot) can fork the host to death. */
export type StdioLimits = { perTenant: number; total: number };
export const DEFAULT_STDIO_LIMITS: StdioLimits = { perTenant: 50, total: 500 };

export type ConnectionFactory = (
  tenantId: string,
  def: UpstreamEntry,
  defHash: string,
  onChange: () => void,
) => UpstreamConnection;

export type NameClash = { name: string; upstreams: [string, string]; exposedAs: string };

export type TenantView = {
  tools: Record<string, unknown>[];
  routes: Map<string, ToolRoute>;
  prompts: Record<string, unknown>[];
  promptRoutes: Map<string, ToolRoute>;
  resources: Record<string, unknown>[];
  resourceRoutes: Map<string, UpstreamConnection>;
  resourceTemplates: Record<string, unknown>[];
  templateRoutes: { prefix: string; connection: UpstreamConnection }[];
  clashes: NameClash[];
};

/**
 * All upstream connections, per tenant. `sync` diffs a new configuration against
 * the running one by (tenant, upstream id, definition hash): unchanged connections
 * stay, new or changed ones start, removed ones close.
 */
export class UpstreamManager {
  private readonly connections = new Map<string, UpstreamConnection>();
  /** Per tenant, in snapshot order; the source for views. */
  private readonly byTenant = new Map<string, UpstreamConnection[]>();
  private readonly views = new Map<string, TenantView>();
  private readonly createConnection: ConnectionFactory;
  /** Removed or replaced upstreams finishing their calls in flight (closed by closeAll too). */
  private readonly draining = new Set<UpstreamConnection>();
  /** How long a removed upstream's calls in flight may run on (then they fail as closed). */
  drainTimeoutMs = 60_000;
  private lastPayload: SnapshotPayload | undefined;

  constructor(
    private readonly log: Logger,
    factory?: ConnectionFactory,
    private readonly limits: StdioLimits = DEFAULT_STDIO_LIMITS,
    /** The fleet data keys sealed secrets open with (empty: upstreams that need one wait). */
    private readonly dataKeys: () => ReadonlyMap<string, Buffer> = () => new Map(),
  ) {
    this.createConnection =
      factory ??
      ((tenantId, def, defHash, onChange) =>
        def.transport === "http" && def.replicas !== undefined && def.replicas.length > 0
          ? new ReplicatedUpstream(
              tenantId,
              def,
              defHash,
              this.log.child({ tenant: tenantId, upstream: def.name, transport: def.transport }),
              onChange,
            )
          : new UpstreamConnection(
              tenantId,
              def,
              defHash,
              this.log.child({ tenant: tenantId, upstream: def.name, transport: def.transport }),
              onChange,
            ));
  }

  /** Where upstreams' own requests (sampling, elicitation, roots) go: the client whose call caused them. */
  private serverRequestRouter: ServerRequestRouter | undefined;

  setServerRequestRouter(router: ServerRequestRouter): void {
    this.serverRequestRouter = router;
    for (const connection of this.connections.values()) connection.serverRequests = router;
  }

  /** Again with the last configuration: new fleet data keys arrived, so waiting upstreams can start. */
  resync(): void {
    if (this.lastPayload) this.sync(this.lastPayload);
  }

  sync(payload: SnapshotPayload): void {
    this.lastPayload = payload;
    const wanted = new Map<string, { tenantId: string; def: UpstreamEntry; hash: string; refused?: string }>();
    for (const tenant of payload.tenants) {
      for (const def of tenant.upstreams) {
        // The hash covers the referenced secrets' fingerprints: a changed value restarts the upstream.
        const references = referencedSecrets(def);
        const fingerprints = references.map((name) => tenant.secrets?.[name]?.fingerprint ?? null);
        const hash = sha256Hex(canonicalJson(references.length > 0 ? { def, fingerprints } : def));
        const resolved =
          references.length > 0 ? resolveUpstreamSecrets(def, tenant.secrets, this.dataKeys()) : undefined;
        wanted.set(connectionKey(tenant.id, def.id), {
          tenantId: tenant.id,
          def: resolved?.ok ? resolved.def : def,
          hash,
          ...(resolved && !resolved.ok ? { refused: resolved.reason } : {}),
        });
      }
    }
    for (const [key, connection] of this.connections) {
      const want = wanted.get(key);
      if (!want || want.hash !== connection.defHash) {
        this.connections.delete(key);
        this.retire(connection);
      }
    }
    this.byTenant.clear();
    const stdioPerTenant = new Map<string, number>();
    let stdioTotal = 0;
    for (const [key, want] of wanted) {
      let connection = this.connections.get(key);
      let over: string | undefined;
      if (want.def.transport === "stdio" && !want.refused) {
        const tenantCount = (stdioPerTenant.get(want.tenantId) ?? 0) + 1;
        over =
          tenantCount > this.limits.perTenant
            ? `stdio process cap reached (${this.limits.perTenant} per tenant)`
            : stdioTotal + 1 > this.limits.total
              ? `stdio process cap reached (${this.limits.total} in total)`
              : undefined;
        if (!over) {
          stdioPerTenant.set(want.tenantId, tenantCount);
          stdioTotal++;
        }
      }
      const refusal = over ?? want.refused;
      if (refusal !== undefined) {
        if (connection) {
          this.connections.delete(key);
          void connection.close();
        }
        connection = this.createConnection(want.tenantId, want.def, want.hash, () => {});
        connection.refuse(refusal);
        this.log.warn("upstream not started", { tenant: want.tenantId, upstream: want.def.name, reason: refusal });
        const list = this.byTenant.get(want.tenantId);
        if (list) list.push(connection);
        else this.byTenant.set(want.tenantId, [connection]);
        continue;
      }
      if (!connection) {
        const tenantId = want.tenantId;
        connection = this.createConnection(tenantId, want.def, want.hash, () => this.invalidate(tenantId));
        connection.serverRequests = this.serverRequestRouter;
        this.connections.set(key, connection);
        connection.start();
      }
      const list = this.byTenant.get(want.tenantId);
      if (list) list.push(connection);
      else this.byTenant.set(want.tenantId, [connection]);
    }
    this.views.clear();
    for (const tenantId of this.byTenant.keys()) this.invalidate(tenantId);
  }

  /** Drains a removed or replaced upstream: its calls in flight finish, new ones never reach it. */
  private retire(connection: UpstreamConnection): void {
    this.draining.add(connection);
    void connection.drain(this.drainTimeoutMs).finally(() => this.draining.delete(connection));
  }

  /** Upstreams still finishing calls after a reload removed them. */
  get drainingCount(): number {
    return this.draining.size;
  }

  /** The tenant's aggregated tools, named `<upstream>__<tool>`. */
  listTools(tenantId: string): readonly Record<string, unknown>[] {
    return this.view(tenantId).tools;
  }

  resolveTool(tenantId: string, exposedName: string): ToolRoute | undefined {
    return this.view(tenantId).routes.get(exposedName);
  }

  /** The tenant's upstream whose prefix starts `name`, whatever its state (to say which one is down). */
  upstreamForToolName(tenantId: string, name: string): UpstreamConnection | undefined {
    return this.byTenant.get(tenantId)?.find((c) => {
      const prefix = c.def.prefix ?? c.def.name;
      return prefix !== "" && name.startsWith(`${prefix}${c.def.separator ?? "__"}`);
    });
  }

  /** Listeners told (once per tick per tenant) that a tenant's lists may have changed. */
  private readonly changeListeners = new Set<(tenantId: string) => void>();
  private readonly pendingChanges = new Set<string>();

  onTenantChange(listener: (tenantId: string) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Name clashes per tenant: each clashing name is still exposed, under a disambiguated name. */
  clashes(): { tenant: string; name: string; upstreams: [string, string]; exposedAs: string }[] {
    const out: { tenant: string; name: string; upstreams: [string, string]; exposedAs: string }[] = [];
    for (const tenant of this.byTenant.keys())
      for (const clash of this.view(tenant).clashes) out.push({ tenant, ...clash });
    return out;
  }

  private invalidate(tenantId: string): void {
    this.views.delete(tenantId);
    if (this.pendingChanges.has(tenantId)) return;
    this.pendingChanges.add(tenantId);
    setImmediate(() => {
      this.pendingChanges.delete(tenantId);
      for (const listener of this.changeListeners) listener(tenantId);
    });
  }

  /** The tenant's whole aggregated view (tools, prompts, resources, templates, clashes). */
  tenantView(tenantId: string): TenantView {
    return this.view(tenantId);
  }

  /** A legacy session ended: its processes of the tenant's stateful stdio upstreams stop. */
  endSession(tenantId: string, sessionId: string): void {
    for (const connection of this.byTenant.get(tenantId) ?? [])
      if (connection.stateful) connection.endSession(sessionId);
  }

  /** The tenant's upstream connections, in snapshot order. */
  upstreamsOf(tenantId: string): readonly UpstreamConnection[] {
    return this.byTenant.get(tenantId) ?? [];
  }

  status(): UpstreamStatus[] {
    const out: UpstreamStatus[] = [];
    for (const [tenant, list] of this.byTenant) {
      for (const c of list) {
        const entry: UpstreamStatus = {
          tenant,
          upstreamId: c.def.id,
          name: c.def.name,
          transport: c.def.transport,
          state: c.state,
        };
        if (c.circuit !== undefined && c.circuit !== "closed") entry.circuit = c.circuit;
        if (c.consecutiveFailures > 0) entry.consecutiveFailures = c.consecutiveFailures;
        if (c.state === "ready" || c.state === "idle") entry.tools = c.offer.tools.length;
        if (c.error) entry.error = c.error;
        if (c.pid !== undefined) entry.pid = c.pid;
        if (c.stateful) entry.sessionProcesses = c.sessionProcesses;
        if (c instanceof ReplicatedUpstream) entry.replicas = c.replicaStatus();
        out.push(entry);
      }
    }
    return out;
  }

  async closeAll(): Promise<void> {
    const all = [...this.connections.values(), ...this.draining];
    this.connections.clear();
    this.draining.clear();
    this.byTenant.clear();
    this.views.clear();
    await Promise.allSettled(all.map((c) => c.close()));
  }

  /** Synchronous last resort at process exit: kill every upstream process group. */
  killAllNow(): void {
    for (const c of this.connections.values()) c.killNow();
    for (const c of this.draining) c.killNow();
  }

  private view(tenantId: string): TenantView {
    let view = this.views.get(tenantId);
    if (!view) {
      view = buildView(this.byTenant.get(tenantId) ?? []);
      this.views.set(tenantId, view);
    }
    return view;
  }
}

function buildView(connections: readonly UpstreamConnection[]): TenantView {
  const view: TenantView = {
    tools: [],
    routes: new Map(),
    prompts: [],
    promptRoutes: new Map(),
    resources: [],
    resourceRoutes: new Map(),
    resourceTemplates: [],
    templateRoutes: [],
    clashes: [],
  };
  const place = (
    routes: Map<string, ToolRoute>,
    out: Record<string, unknown>[],
    connection: UpstreamConnection,
    item: Record<string, unknown> & { name: string },
  ) => {
    let exposed = exposedName(connection.def, item.name);
    const taken = routes.get(exposed);
    if (taken) {
      // Never dropped: the later one is exposed under a name made unique, and the clash is reported.
      const unique = disambiguate(exposed, connection.def.id);
      view.clashes.push({
        name: exposed,
        upstreams: [taken.connection.def.name, connection.def.name],
        exposedAs: unique,
      });
      exposed = unique;
    }
    routes.set(exposed, { connection, toolName: item.name });
    out.push({ ...item, name: exposed });
  };
  for (const connection of connections) {
    // Idle stdio upstreams keep their lists: the next call restarts them.
    if (connection.state === "down") continue;
    const offer = connection.offer;
    for (const tool of offer.tools) place(view.routes, view.tools, connection, tool);
    for (const prompt of offer.prompts) place(view.promptRoutes, view.prompts, connection, prompt as UpstreamTool);
    for (const resource of offer.resources) {
      const uri = resource.uri as string;
      const taken = view.resourceRoutes.get(uri);
      if (taken) {
        view.clashes.push({ name: uri, upstreams: [taken.def.name, connection.def.name], exposedAs: uri });
        continue;
      }
      view.resourceRoutes.set(uri, connection);
      view.resources.push(resource);
    }
    for (const template of offer.resourceTemplates) {
      const uriTemplate = template.uriTemplate as string;
      const brace = uriTemplate.indexOf("{");
      view.templateRoutes.push({ prefix: brace === -1 ? uriTemplate : uriTemplate.slice(0, brace), connection });
      view.resourceTemplates.push(template);
    }
  }
  // Longest template prefix first, so the most specific template wins.
  view.templateRoutes.sort((a, b) => b.prefix.length - a.prefix.length);
  return view;
}

function connectionKey(tenantId: string, upstreamId: string): string {
  return `${tenantId}\u0000${upstreamId}`;
}
