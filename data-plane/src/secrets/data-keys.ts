import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { compactDecrypt } from "jose";
import { z } from "zod";
import type { NodeKey } from "./node-key.ts";

export const DATA_KEYS_FILE = "data-keys.jwe";

const wrappedKeysSchema = z.strictObject({
  keys: z
    .array(
      z.strictObject({
        kid: z.string().min(1).max(128),
        k: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "32 bytes, base64url"),
      }),
    )
    .min(1)
    .max(16),
});

/**
 * The fleet data keys sealed secrets in snapshots are encrypted with. They arrive
 * wrapped for this node's public key (JWE ECDH-ES+A256KW / A256GCM) in the
 * heartbeat answer and are kept on disk only in that wrapped form.
 */
export class DataKeyring {
  private readonly keys = new Map<string, Buffer>();
  private wrapped: string | undefined;

  constructor(
    private readonly nodeKey: NodeKey,
    private readonly stateDir: string,
  ) {}

  /** Sent in every heartbeat: what the control plane seals the data keys to. */
  get publicJwk() {
    return this.nodeKey.publicJwk;
  }

  get map(): ReadonlyMap<string, Buffer> {
    return this.keys;
  }

  /** Boot: the wrapped keys from the last run, if any. */
  async loadPersisted(): Promise<boolean> {
    let jwe: string;
    try {
      jwe = (await readFile(path.join(this.stateDir, DATA_KEYS_FILE), "utf8")).trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
    return this.install(jwe, { persist: false });
  }

  /** Unwraps and installs; true when the set of keys changed. A JWE this node cannot open throws. */
  async install(jwe: string, options: { persist: boolean } = { persist: true }): Promise<boolean> {
    if (jwe === this.wrapped) return false;
    const { plaintext } = await compactDecrypt(jwe, this.nodeKey.privateKey, {
      keyManagementAlgorithms: ["ECDH-ES+A256KW"],
      contentEncryptionAlgorithms: ["A256GCM"],
    });
    const parsed = wrappedKeysSchema.parse(JSON.parse(new TextDecoder().decode(plaintext)));
    let changed = false;
    for (const { kid, k } of parsed.keys) {
      if (!this.keys.has(kid)) changed = true;
      this.keys.set(kid, Buffer.from(k, "base64url"));
    }
    this.wrapped = jwe;
    if (options.persist) await this.persist(jwe);
    return changed;
  }

  private async persist(jwe: string): Promise<void> {
    await mkdir(this.stateDir, { recursive: true, mode: 0o700 });
    const file = path.join(this.stateDir, DATA_KEYS_FILE);
    const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      const handle = await open(tmp, "wx", 0o600);
      try {
        await handle.writeFile(jwe, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, file);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }
}
