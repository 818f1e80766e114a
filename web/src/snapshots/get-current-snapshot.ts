import { ApiError } from "../api/errors.ts";
import { controlPlane } from "../control-plane.ts";

/** GET /api/v1/snapshots/current: the latest published snapshot, or 404 before the first publish. */
export async function getCurrentSnapshot() {
  const { cp, context } = await controlPlane();
  const snapshot = await cp.getCurrentSnapshot(context.db);
  if (!snapshot) throw new ApiError("NOT_FOUND", "No snapshot has been published yet.");
  return {
    version: snapshot.version,
    sha256: snapshot.sha256,
    jws: snapshot.jws,
    createdAt: snapshot.createdAt.toISOString(),
    sizeBytes: snapshot.sizeBytes,
  };
}
