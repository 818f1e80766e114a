import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { JWK } from "jose";

/** Where the last applied snapshot survives a restart. */
export interface SnapshotStore {
  read(): Promise<string | undefined>;
  write(jws: string): Promise<void>;
  /** The signing keys the last applied snapshot announced (kept for the next boot). */
  readAnnouncedKeys?(): Promise<JWK[] | undefined>;
  writeAnnouncedKeys?(keys: readonly JWK[]): Promise<void>;
}

export const ANNOUNCED_KEYS_FILE = "trusted-keys.announced.json";

export const LAST_KNOWN_GOOD_FILE = "last-known-good.jws";

/** `$STATE_DIR/last-known-good.jws`, written atomically (tmp + fsync + rename), mode 0600. */
export class FileSnapshotStore implements SnapshotStore {
  readonly file: string;

  constructor(private readonly dir: string) {
    this.file = path.join(dir, LAST_KNOWN_GOOD_FILE);
  }

  async read(): Promise<string | undefined> {
    try {
      return await readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async readAnnouncedKeys(): Promise<JWK[] | undefined> {
    try {
      const parsed = JSON.parse(await readFile(path.join(this.dir, ANNOUNCED_KEYS_FILE), "utf8")) as { keys?: JWK[] };
      return Array.isArray(parsed.keys) ? parsed.keys : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  writeAnnouncedKeys(keys: readonly JWK[]): Promise<void> {
    return this.atomicWrite(ANNOUNCED_KEYS_FILE, `${JSON.stringify({ keys })}\n`);
  }

  write(jws: string): Promise<void> {
    return this.atomicWrite(LAST_KNOWN_GOOD_FILE, jws);
  }

  private async atomicWrite(name: string, text: string): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const target = path.join(this.dir, name);
    const tmp = path.join(this.dir, `.${name}.${randomBytes(6).toString("hex")}.tmp`);
    try {
      const handle = await open(tmp, "wx", 0o600);
      try {
        await handle.writeFile(text, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, target);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }
}
