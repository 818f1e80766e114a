import type { Logger } from "../log/logger.ts";
import { Pool } from "../outbound/pool.ts";
import type { AuditBatchV1, AuditEventV1 } from "./audit-event-schema.ts";
import type { AuditSpool } from "./audit-spool.ts";
import { EventIds } from "./event-ids.ts";

/** What the rest of the data plane hands to audit: the event minus id, time and node. */
export type AuditRecord = Omit<AuditEventV1, "id" | "time" | "nodeId">;

/** What /_only1mcp/status reports as `audit`: losses are counted, never silent. */
export type AuditShipperStats = {
  /** Events recorded (count in); each is then delivered, spooled or counted as dropped. */
  recorded: number;
  /** Events the control plane accepted (a batch re-sent after a lost answer counts again; ingestion is idempotent). */
  delivered: number;
  spooled: number;
  /** Oldest spooled events dropped to keep the spool under its size cap. */
  droppedSpoolFull: number;
  /** Events lost because the spool could not be written (disk full, file too large, …). */
  droppedWriteFailed: number;
  lastSpoolError?: string;
  lastSpoolErrorAt?: string;
};

/** Where audit events go; the data plane depends only on this. */
export interface AuditSink {
  record(event: AuditRecord): void;
}

export const NO_AUDIT: AuditSink = { record() {} };

let isoMs = -1;
let isoText = "";
/** The current time as ISO 8601, one string per millisecond shared by the events recorded in it. */
function isoNow(): string {
  const now = Date.now();
  if (now !== isoMs) {
    isoMs = now;
    isoText = new Date(now).toISOString();
  }
  return isoText;
}

/** Events per spool file: small files keep one failed write (or one cap drop) small. */
const SPOOL_FILE_EVENTS = 100;

export type AuditShipperOptions = {
  /** `${ONLY1MCP_CONTROL_PLANE_URL}/api/v1/fleet/audit` */
  endpoint: string;
  nodeToken: string;
  nodeId: string;
  spool: AuditSpool;
  log: Logger;
  /** Which kinds are recorded (the `observability.audit.events` setting, read per event). */
  enabledKinds?: () => ReadonlySet<AuditEventV1["kind"]> | undefined;
  flushIntervalMs?: number;
  batchSize?: number;
  /** Bounded memory: past this, the buffer is spooled at once. */
  maxBuffered?: number;
};

/**
 * Batches audit events and POSTs them to the control plane (AuditBatchV1,
 * idempotent by event id). A batch the control plane does not accept goes to the
 * on-disk spool and is retried, oldest first, before newer events: none are lost
 * while the spool has room.
 */
export class AuditShipper implements AuditSink {
  private buffer: AuditEventV1[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private readonly batchSize: number;
  private readonly maxBuffered: number;
  private readonly counters: AuditShipperStats = {
    recorded: 0,
    delivered: 0,
    spooled: 0,
    droppedSpoolFull: 0,
    droppedWriteFailed: 0,
  };
  private stopped = false;
  private failures = 0;
  private nextAttemptAt = 0;
  /**
   * Whether the spool holds nothing: learnt from disk once, then kept here (only this
   * shipper writes it), so a healthy flush does not list the directory per batch.
   */
  private spoolEmpty: boolean | undefined;
  private overflowFlush = false;
  private readonly ids = new EventIds();
  private readonly endpoint: URL;
  private pool: Pool | undefined;

  constructor(private readonly options: AuditShipperOptions) {
    this.endpoint = new URL(options.endpoint);
    this.batchSize = Math.min(options.batchSize ?? 1000, 5000);
    this.maxBuffered = options.maxBuffered ?? 20_000;
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  record(event: AuditRecord): void {
    if (this.stopped) return;
    const kinds = this.options.enabledKinds?.();
    if (kinds && !kinds.has(event.kind)) return;
    // Field by field, not a spread: one fixed-shape object per event (three per proxied call).
    this.buffer.push({
      id: this.ids.next(),
      time: isoNow(),
      nodeId: this.options.nodeId,
      tenantId: event.tenantId,
      keyId: event.keyId,
      kind: event.kind,
      method: event.method,
      clientAddress: event.clientAddress,
      server: event.server,
      tool: event.tool,
      originalTool: event.originalTool,
      decision: event.decision,
      code: event.code,
      latencyMs: event.latencyMs,
      argsSha256: event.argsSha256,
    });
    this.counters.recorded++;
    // A full batch ships at once rather than waiting for the timer: under load, events held for
    // the whole interval outlive V8's young generation and pile up in the old one (peak RSS).
    // One early flush at a time: it drains everything buffered meanwhile too (queuing one per
    // event past the bound, as before, chained thousands of flushes).
    if (this.buffer.length >= Math.min(this.batchSize, this.maxBuffered) && !this.overflowFlush) {
      this.overflowFlush = true;
      void this.flush().finally(() => {
        this.overflowFlush = false;
      });
    }
  }

  /** Sends (or spools) everything buffered; serialised so batches keep their order. */
  flush(): Promise<void> {
    const run = this.flushing.then(() => this.flushOnce());
    this.flushing = run.catch((error: unknown) => this.options.log.error("audit flush failed", { error }));
    return this.flushing;
  }

  stats(): AuditShipperStats {
    return { ...this.counters };
  }

  /** Final flush at shutdown: whatever cannot be delivered now is spooled. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.flush();
    await this.pool?.close().catch(() => this.pool?.destroy());
  }

  private async flushOnce(): Promise<void> {
    if (Date.now() >= this.nextAttemptAt && !(await this.spoolIsEmpty())) await this.drainSpool();
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.batchSize);
      // Keep the order: while anything is spooled, newer batches queue behind it on disk.
      const canSend = Date.now() >= this.nextAttemptAt && (await this.spoolIsEmpty());
      if (canSend && (await this.send(batch))) continue;
      this.spoolEmpty = false;
      await this.spool(batch);
    }
  }

  /**
   * Never throws: a spool that cannot be written loses the batch, counted and logged at
   * error level. Written in files of at most SPOOL_FILE_EVENTS events.
   */
  private async spool(events: AuditEventV1[]): Promise<void> {
    for (let i = 0; i < events.length; i += SPOOL_FILE_EVENTS)
      await this.spoolFile(events.slice(i, i + SPOOL_FILE_EVENTS));
  }

  private async spoolFile(batch: AuditEventV1[]): Promise<void> {
    try {
      const { dropped } = await this.options.spool.write(batch);
      this.counters.spooled += batch.length;
      if (dropped > 0) {
        this.counters.droppedSpoolFull += dropped;
        this.options.log.error("audit spool full: oldest events dropped", {
          dropped,
          droppedTotal: this.counters.droppedSpoolFull,
        });
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
      this.counters.droppedWriteFailed += batch.length;
      this.counters.lastSpoolError = code;
      this.counters.lastSpoolErrorAt = new Date().toISOString();
      this.options.log.error("audit spool write failed: events dropped", {
        code,
        dropped: batch.length,
        droppedTotal: this.counters.droppedWriteFailed,
      });
    }
  }

  private async drainSpool(): Promise<void> {
    for (const file of await this.options.spool.list()) {
      const events = await this.options.spool.read(file).catch(() => undefined);
      if (events === undefined) {
        this.options.log.error("unreadable audit spool file removed", { file });
        await this.options.spool.remove(file);
        continue;
      }
      for (let i = 0; i < events.length; i += this.batchSize) {
        if (!(await this.send(events.slice(i, i + this.batchSize)))) return;
      }
      await this.options.spool.remove(file);
    }
    this.spoolEmpty = undefined; // read from disk again next time
  }

  private async spoolIsEmpty(): Promise<boolean> {
    this.spoolEmpty ??= (await this.options.spool.list()).length === 0;
    return this.spoolEmpty;
  }

  private async send(events: AuditEventV1[]): Promise<boolean> {
    if (events.length === 0) return true;
    const body: AuditBatchV1 = { nodeId: this.options.nodeId, events };
    try {
      // An undici Pool with its own timeouts, not fetch + AbortSignal.timeout: each such signal
      // kept its request (and the batch's JSON) alive for the whole 10 s, ~100 MB under load.
      this.pool ??= new Pool(this.endpoint.origin, { connections: 2, keepAliveTimeout: 30_000 });
      const res = await this.pool.request({
        path: `${this.endpoint.pathname}${this.endpoint.search}`,
        method: "POST",
        headers: { authorization: `Bearer ${this.options.nodeToken}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      await res.body.dump().catch(() => undefined);
      if (res.statusCode >= 200 && res.statusCode < 300) {
        this.counters.delivered += events.length;
        this.failures = 0;
        this.nextAttemptAt = 0;
        return true;
      }
      this.backOff(`HTTP ${res.statusCode}`);
      return false;
    } catch (error) {
      this.backOff(error instanceof Error ? error.message : String(error));
      return false;
    }
  }

  private backOff(reason: string): void {
    this.failures++;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(this.failures, 6));
    this.nextAttemptAt = Date.now() + delay;
    if (this.failures === 1 || this.failures % 20 === 0) {
      this.options.log.warn("audit delivery failed; spooling to disk", { reason, failures: this.failures });
    }
  }
}
