import { type SnapshotPayload, snapshotPayloadSchema } from "@only1mcp/data-plane";

/** The payload of a stored compact JWS (stored by us, so trusted; still schema-checked). */
export function decodeSnapshotPayload(jws: string): SnapshotPayload {
  const [, payload] = jws.split(".");
  if (!payload) throw new Error("stored snapshot is not a compact JWS");
  return snapshotPayloadSchema.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
}
