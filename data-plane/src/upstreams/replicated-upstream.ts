import type { HttpUpstreamEntry } from "../snapshots/schema.ts";
import { UpstreamConnection, UpstreamDownError } from "./connection.ts";
import { isUnreachable } from "./http-wire.ts";
import type { RequestOptions, RpcReply } from "./rpc-peer.ts";

/** The request never reached the endpoint: safe to send to another replica. */
function unreached(error: unknown): boolean {
  return error instanceof UpstreamDownError || isUnreachable(error);
}

export type ReplicaStatus = { url: string; state: string; outstanding: number; error?: string };

/**
 * One logical HTTP upstream served by several endpoints (`url` + `replicas`). Each
 * endpoint is its own connection (own session, reconnect with backoff); calls go to
 * the ready one with the fewest calls in flight, and a call that cannot reach its
 * endpoint is sent to the next one (an endpoint that answered is never asked twice).
 * The lists are the first ready endpoint's.
 */
export class ReplicatedUpstream extends UpstreamConnection {
  readonly replicas: UpstreamConnection[];

  constructor(
    tenantId: string,
    def: HttpUpstreamEntry,
    defHash: string,
    log: UpstreamConnection["log"],
    onChange: () => void,
  ) {
    super(tenantId, def, defHash, log, onChange);
    const urls = [def.url, ...(def.replicas ?? [])];
    this.replicas = urls.map((url, index) => {
      const replica = new UpstreamConnection(
        tenantId,
        { ...def, url, replicas: undefined },
        defHash,
        log.child({ replica: index }),
        () => this.refresh(),
      );
      replica.serverRequests = (requesters, message) =>
        this.serverRequests
          ? this.serverRequests(requesters, message)
          : Promise.resolve({ error: { code: -32601, message: `method '${message.method}' is not supported` } });
      return replica;
    });
  }

  override get outstanding(): number {
    let n = 0;
    for (const replica of this.replicas) n += replica.outstanding;
    return n;
  }

  override start(): void {
    for (const replica of this.replicas) replica.start();
  }

  override async forward(method: string, params: unknown, options?: RequestOptions): Promise<RpcReply> {
    const tried = new Set<UpstreamConnection>();
    for (;;) {
      const target = this.pick(tried);
      if (!target) throw new UpstreamDownError(this.def.name, this.error ?? "no endpoint is ready");
      try {
        return await target.forward(method, params, options);
      } catch (error) {
        if (!unreached(error) || options?.cancellation?.cancelled) throw error;
        tried.add(target);
        this.log.warn("replica unreachable; trying another", { replica: this.replicas.indexOf(target) });
      }
    }
  }

  override async drain(timeoutMs: number): Promise<void> {
    await Promise.allSettled(this.replicas.map((r) => r.drain(timeoutMs)));
    this.state = "down";
  }

  override async close(): Promise<void> {
    await Promise.allSettled(this.replicas.map((r) => r.close()));
  }

  override killNow(): void {}

  replicaStatus(): ReplicaStatus[] {
    return this.replicas.map((r) => {
      const entry: ReplicaStatus = {
        url: (r.def as HttpUpstreamEntry).url,
        state: r.state,
        outstanding: r.outstanding,
      };
      if (r.error) entry.error = r.error;
      return entry;
    });
  }

  /** Least outstanding requests among ready endpoints not tried yet (ties: the first listed). */
  private pick(tried: Set<UpstreamConnection>): UpstreamConnection | undefined {
    let best: UpstreamConnection | undefined;
    for (const replica of this.replicas) {
      if (replica.state !== "ready" || tried.has(replica)) continue;
      if (!best || replica.outstanding < best.outstanding) best = replica;
    }
    return best;
  }

  /** The logical state and lists follow the endpoints: ready when any is. */
  private refresh(): void {
    const ready = this.replicas.find((r) => r.state === "ready");
    if (ready) {
      this.state = "ready";
      this.offer = ready.offer;
      this.serverCapabilities = ready.serverCapabilities;
      this.error = undefined;
    } else {
      this.state = this.replicas.some((r) => r.state === "starting") ? "starting" : "down";
      this.error = this.replicas
        .map((r) => r.error)
        .filter((e) => e !== undefined)
        .join("; ");
    }
    this.onChange();
  }
}
