import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";

/** Where the last applied snapshot survives a restart. */
export interface SnapshotStore {
  read(): Promise<string | undefined>;
  write(jws: string): Promise<void>;
}

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

  async write(jws: string): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = path.join(this.dir, `.${LAST_KNOWN_GOOD_FILE}.${randomBytes(6).toString("hex")}.tmp`);
    try {
      const handle = await open(tmp, "wx", 0o600);
      try {
        await handle.writeFile(jws, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, this.file);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }
}
