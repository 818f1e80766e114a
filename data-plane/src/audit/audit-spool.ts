import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import type { AuditEventV1 } from "./audit-event-schema.ts";

/**
 * Batches the control plane could not take yet, one file per batch (0600, written
 * tmp + rename so a crash never leaves half a batch), delivered oldest first.
 * Bounded: past `maxBytes` the oldest batches are dropped, and the count is reported.
 */
export class AuditSpool {
  constructor(
    readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  /**
   * Writes one batch file. The file is written first (tmp, then rename), and only then
   * are the oldest batches dropped to make room: a write that fails (disk full, EFBIG)
   * deletes nothing and leaves no partial file. A batch larger than the whole cap is
   * refused (SpoolCapError) rather than emptying the spool for it.
   */
  async write(events: readonly AuditEventV1[]): Promise<{ dropped: number }> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const body = JSON.stringify(events);
    const size = Buffer.byteLength(body);
    if (size > this.maxBytes) throw new SpoolCapError(size, this.maxBytes);
    // Names sort by time, then a uuid: oldest first on replay.
    const name = `${Date.now().toString().padStart(15, "0")}-${randomUUID()}.json`;
    const tmp = path.join(this.dir, `.${name}.tmp`);
    try {
      await writeFile(tmp, body, { mode: 0o600 });
    } catch (error) {
      // Disk full (ENOSPC), file too large (EFBIG), …: leave no partial file behind.
      await unlink(tmp).catch(() => undefined);
      throw error;
    }
    const dropped = await this.makeRoom(size);
    await rename(tmp, path.join(this.dir, name));
    return { dropped };
  }

  /** Spooled batch files, oldest first. */
  async list(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((f) => f.endsWith(".json") && !f.startsWith(".")).sort();
    } catch {
      return [];
    }
  }

  async read(file: string): Promise<AuditEventV1[]> {
    return JSON.parse(await readFile(path.join(this.dir, file), "utf8")) as AuditEventV1[];
  }

  async remove(file: string): Promise<void> {
    await unlink(path.join(this.dir, file)).catch(() => undefined);
  }

  private async makeRoom(incoming: number): Promise<number> {
    const files = await this.list();
    const sizes = await Promise.all(
      files.map(async (f) => (await stat(path.join(this.dir, f)).catch(() => ({ size: 0 }))).size),
    );
    let total = sizes.reduce((a, b) => a + b, 0) + incoming;
    let dropped = 0;
    for (let i = 0; i < files.length && total > this.maxBytes; i++) {
      const file = files[i] as string;
      dropped += (await this.read(file).catch(() => [])).length;
      await this.remove(file);
      total -= sizes[i] ?? 0;
    }
    return dropped;
  }
}

/** A single batch larger than the spool's whole cap. */
export class SpoolCapError extends Error {
  readonly code = "ESPOOLCAP";
  constructor(size: number, max: number) {
    super(`audit batch of ${size} bytes exceeds the spool cap of ${max} bytes`);
  }
}
