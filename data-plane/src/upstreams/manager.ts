import type { Logger } from "../log/logger.ts";
import { canonicalJson, sha256Hex } from "../snapshots/canonical.ts";
import type { SnapshotPayload, UpstreamEntry } from "../snapshots/schema.ts";
import { UpstreamConnection, type UpstreamState, type UpstreamTool } from "./connection.ts";

/** Separates the upstream's name from the tool's own name in the names clients see. */
export const TOOL_NAME_SEPARATOR = "__";

export type ToolRoute = { connection: UpstreamConnection; toolName: string };

export type UpstreamStatus = {
  tenant: string;
  upstreamId: string;
  name: string;
  transport: UpstreamEntry["transport"];
  state: UpstreamState;
  tools?: number;
  error?: string;
  pid?: number;
};

export type ConnectionFactory = (
  tenantId: string,
  def: UpstreamEntry,
  defHash: string,
  onChange: () => void,
) => UpstreamConnection;

type TenantView = { tools: Record<string, unknown>[]; routes: Map<string, ToolRoute> };

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

  constructor(
    private readonly log: Logger,
    factory?: ConnectionFactory,
  ) {
    this.createConnection =
      factory ??
      ((tenantId, def, defHash, onChange) =>
        new UpstreamConnection(
          tenantId,
          def,
          defHash,
          this.log.child({ tenant: tenantId, upstream: def.name, transport: def.transport }),
          onChange,
        ));
  }

  sync(payload: SnapshotPayload): void {
    const wanted = new Map<string, { tenantId: string; def: UpstreamEntry; hash: string }>();
    for (const tenant of payload.tenants) {
      for (const def of tenant.upstreams) {
        wanted.set(connectionKey(tenant.id, def.id), { tenantId: tenant.id, def, hash: sha256Hex(canonicalJson(def)) });
      }
    }
    for (const [key, connection] of this.connections) {
      const want = wanted.get(key);
      if (!want || want.hash !== connection.defHash) {
        this.connections.delete(key);
        void connection.close();
      }
    }
    this.byTenant.clear();
    for (const [key, want] of wanted) {
      let connection = this.connections.get(key);
      if (!connection) {
        const tenantId = want.tenantId;
        connection = this.createConnection(tenantId, want.def, want.hash, () => this.views.delete(tenantId));
        this.connections.set(key, connection);
        connection.start();
      }
      const list = this.byTenant.get(want.tenantId);
      if (list) list.push(connection);
      else this.byTenant.set(want.tenantId, [connection]);
    }
    this.views.clear();
  }

  /** The tenant's aggregated tools, named `<upstream>__<tool>`. */
  listTools(tenantId: string): readonly Record<string, unknown>[] {
    return this.view(tenantId).tools;
  }

  resolveTool(tenantId: string, exposedName: string): ToolRoute | undefined {
    return this.view(tenantId).routes.get(exposedName);
  }

  /** The tenant's upstream whose name prefixes `exposedName`, whatever its state. */
  upstreamForToolName(tenantId: string, exposedName: string): UpstreamConnection | undefined {
    return this.byTenant.get(tenantId)?.find((c) => exposedName.startsWith(`${c.def.name}${TOOL_NAME_SEPARATOR}`));
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
        if (c.state === "ready") entry.tools = c.tools.length;
        if (c.error) entry.error = c.error;
        if (c.pid !== undefined) entry.pid = c.pid;
        out.push(entry);
      }
    }
    return out;
  }

  async closeAll(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    this.byTenant.clear();
    this.views.clear();
    await Promise.allSettled(all.map((c) => c.close()));
  }

  /** Synchronous last resort at process exit: kill every upstream process group. */
  killAllNow(): void {
    for (const c of this.connections.values()) c.killNow();
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
  const tools: Record<string, unknown>[] = [];
  const routes = new Map<string, ToolRoute>();
  for (const connection of connections) {
    if (connection.state !== "ready") continue;
    for (const tool of connection.tools as readonly UpstreamTool[]) {
      const exposed = `${connection.def.name}${TOOL_NAME_SEPARATOR}${tool.name}`;
      if (routes.has(exposed)) continue;
      routes.set(exposed, { connection, toolName: tool.name });
      tools.push({ ...tool, name: exposed });
    }
  }
  return { tools, routes };
}

function connectionKey(tenantId: string, upstreamId: string): string {
  return `${tenantId}\u0000${upstreamId}`;
}
