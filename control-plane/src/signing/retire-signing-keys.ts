import type { JWK } from "jose";
import type { Db } from "../db/open-database.ts";
import { decodeSnapshotPayload } from "../snapshots/decode-snapshot-payload.ts";
import { SnapshotStatus } from "../snapshots/publish-snapshot.ts";

/**
 * Whether the current snapshot announces another key set than the keyring would now
 * (a retired key's overlap ended, or a key was staged without a publish): then a
 * publish is due, which retires the old key on every data plane.
 */
export async function keyAnnouncementOutdated(db: Pick<Db, "snapshot">, wanted: readonly JWK[]): Promise<boolean> {
  const current = await db.snapshot.findFirst({
    where: { status: SnapshotStatus.active },
    orderBy: { version: "desc" },
    select: { jws: true },
  });
  if (!current) return false;
  const announced = decodeSnapshotPayload(current.jws).trustedKeys?.map((key) => key.kid) ?? [];
  return announced.join("\u0000") !== wanted.map((key) => String(key.kid)).join("\u0000");
}
