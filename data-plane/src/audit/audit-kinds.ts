import type { SnapshotPayload } from "../snapshots/schema.ts";
import type { AuditEventV1 } from "./audit-event-schema.ts";

type Kind = AuditEventV1["kind"];
const ALL: ReadonlySet<Kind> = new Set<Kind>(["authentication", "authorization", "call"]);
const NONE: ReadonlySet<Kind> = new Set<Kind>();
const cache = new WeakMap<SnapshotPayload, ReadonlySet<Kind>>();

/**
 * The kinds of data-plane events to record under `observability.audit` (top level,
 * as in the seed, or under `security:`). The seed's `server_access` means calls;
 * `configuration_change` and `admin_actions` are recorded by the control plane.
 */
export function auditKindsOf(payload: SnapshotPayload | undefined): ReadonlySet<Kind> {
  if (!payload) return ALL;
  let kinds = cache.get(payload);
  if (!kinds) {
    const audit = payload.observability?.audit ?? payload.security?.observability?.audit;
    if (!audit) kinds = ALL;
    else if (!audit.enabled) kinds = NONE;
    else {
      const set = new Set<Kind>();
      for (const e of audit.events) {
        if (e === "authentication" || e === "authorization") set.add(e);
        if (e === "server_access" || e === "call") set.add("call");
      }
      kinds = set;
    }
    cache.set(payload, kinds);
  }
  return kinds;
}
