import { z } from "zod";

/** What a data plane sends to POST /api/v1/fleet/heartbeat (register + heartbeat are the same call). */
export const heartbeatV1Schema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_.-]+$/),
  name: z.string().min(1).max(128),
  version: z.string().min(1).max(64),
  /** Base URL the control plane pushes snapshots to. */
  address: z.url({ protocol: /^https?$/ }),
  snapshotVersion: z.number().int().positive().nullable(),
  snapshotHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  snapshotExpiresAt: z.iso.datetime({ offset: true }).nullable(),
  /** The applied snapshot's expiry has passed: the node runs on stale configuration. */
  stale: z.boolean(),
  upstreams: z
    .array(
      z.looseObject({
        tenant: z.string().max(128),
        name: z.string().max(128),
        state: z.string().max(32),
      }),
    )
    .max(10_000),
  /** The node's X25519 public key: the answer carries the fleet data key sealed to it. */
  encryptionKey: z
    .strictObject({ kty: z.literal("OKP"), crv: z.literal("X25519"), x: z.string().regex(/^[A-Za-z0-9_-]{43}$/) })
    .optional(),
});
export type HeartbeatV1 = z.infer<typeof heartbeatV1Schema>;
