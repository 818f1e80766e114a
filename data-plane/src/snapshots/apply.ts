import type { Failure } from "../errors.ts";
import { type AppliedConfig, toAppliedConfig } from "./applied-config.ts";
import type { SnapshotPayload } from "./schema.ts";
import type { SnapshotStore } from "./store.ts";
import { type SnapshotRejection, type TrustedKeys, verifySnapshot } from "./verify.ts";

export type ApplyResult = { ok: true; config: AppliedConfig } | { ok: false; error: Failure };

export type SnapshotApplierDeps = {
  trusted: TrustedKeys;
  store: SnapshotStore;
  /** Called after each successful apply, with the configuration now in force. */
  onApply: (config: AppliedConfig) => void;
  /** Called when an applied snapshot changed the trusted signing keys (their kids). */
  onTrustedKeys?: (kids: string[]) => void;
  now?: () => Date;
  /** How a JWS is verified (app.ts: on a worker thread); verifySnapshot in this thread by default. */
  verify?: typeof verifySnapshot;
};

const REJECTION_CODES: Record<SnapshotRejection["code"], Failure["code"]> = {
  MALFORMED: "SNAPSHOT_MALFORMED",
  UNKNOWN_KEY: "SNAPSHOT_UNKNOWN_KEY",
  BAD_SIGNATURE: "SNAPSHOT_BAD_SIGNATURE",
  INVALID_PAYLOAD: "SNAPSHOT_INVALID_PAYLOAD",
  EXPIRED: "SNAPSHOT_EXPIRED",
};

/**
 * Holds the configuration in force and changes it only through a verified,
 * newer snapshot (or a local file). Applies are serialised; a refusal changes nothing.
 */
export class ConfigState {
  private applied: AppliedConfig | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;
  private readonly verify: typeof verifySnapshot;

  constructor(private readonly deps: SnapshotApplierDeps) {
    this.now = deps.now ?? (() => new Date());
    this.verify = deps.verify ?? verifySnapshot;
  }

  current(): AppliedConfig | undefined {
    return this.applied;
  }

  /** Verifies, checks the version is newer, persists as last-known-good, then applies. */
  applyJws(jws: string): Promise<ApplyResult> {
    return this.serialised(async () => {
      if (this.applied?.source === "file") {
        return fail("SNAPSHOT_LOCAL_CONFIG", "this data plane is configured by a local file; snapshots are refused");
      }
      const verified = await this.verify(jws, this.deps.trusted, this.now());
      if (!verified.ok) return fail(REJECTION_CODES[verified.error.code], verified.error.message);
      const { payload, sha256 } = verified.snapshot;
      if (this.applied && payload.version <= this.applied.version) {
        return fail(
          "SNAPSHOT_STALE",
          `snapshot version ${payload.version} is not newer than the applied version ${this.applied.version}`,
        );
      }
      await this.deps.store.write(verified.snapshot.jws);
      await this.followKeyAnnouncement(payload.trustedKeys, true);
      return { ok: true, config: this.install(toAppliedConfig("snapshot", payload, sha256, this.now())) };
    });
  }

  /** Boot: re-verifies the stored last-known-good snapshot; undefined when there is none. */
  async loadLastKnownGood(): Promise<ApplyResult | undefined> {
    const jws = await this.deps.store.read();
    if (jws === undefined) return undefined;
    return this.serialised(async () => {
      const verified = await this.verify(jws, this.deps.trusted, this.now());
      if (!verified.ok) return fail(REJECTION_CODES[verified.error.code], verified.error.message);
      const { payload, sha256 } = verified.snapshot;
      await this.followKeyAnnouncement(payload.trustedKeys, false);
      return { ok: true, config: this.install(toAppliedConfig("snapshot", payload, sha256, this.now())) };
    });
  }

  /** Signing-key rotation: a verified snapshot's announced keys become the trusted set. */
  private async followKeyAnnouncement(keys: SnapshotPayload["trustedKeys"], persist: boolean): Promise<void> {
    if (!keys) return;
    const changed = await this.deps.trusted.replaceWithAnnounced(keys);
    if (changed && persist) await this.deps.store.writeAnnouncedKeys?.(keys);
    if (changed) this.deps.onTrustedKeys?.(this.deps.trusted.kids());
  }

  /** Standalone mode: a validated local file replaces whatever is applied (no version order). */
  applyLocal(config: AppliedConfig): Promise<ApplyResult> {
    return this.serialised(async () => ({ ok: true, config: this.install(config) }));
  }

  private install(config: AppliedConfig): AppliedConfig {
    this.applied = config;
    this.deps.onApply(config);
    return config;
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function fail(code: Failure["code"], message: string): ApplyResult {
  return { ok: false, error: { code, message } };
}
