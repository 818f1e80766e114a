import { tenantEntrySchema } from "../snapshots/schema.ts";
import { PolicyEngine } from "./compile-policies.ts";
import type { PolicyDocument } from "./policy-schema.ts";

/** A tools/call the data plane recorded (its audit event), as far as policy sees it. */
export type RecordedToolCall = {
  tenantId: string;
  keyId: string | null;
  /** The exposed name (`<upstream>__<tool>`) and the upstream's own. */
  tool: string;
  originalTool: string | null;
  server: string | null;
};

/**
 * The data plane's own policy engine, compiled for candidate policies, deciding
 * recorded calls the way enforcement would (for the policy dry run). What audit does
 * not record cannot weigh in: tools count as not read-only (no annotations are
 * recorded) and the caller's roles are those passed in.
 */
export class RecordedCallJudge {
  private readonly engine: PolicyEngine;
  private readonly tools = new Map<string, object>();

  constructor(
    tenant: { id: string; policies: { id: string; name: string; rules: PolicyDocument | unknown }[] },
    private readonly rolesOf: (keyId: string | null) => readonly string[] = () => [],
  ) {
    const entry = tenantEntrySchema.parse({
      id: tenant.id,
      slug: "dry-run",
      name: "dry run",
      policies: tenant.policies,
    });
    this.engine = PolicyEngine.fromPayload({ tenants: [entry] });
  }

  decide(call: RecordedToolCall): { decision: "allow" | "deny"; reason?: string } {
    const access = this.engine.accessFor(call.tenantId, call.keyId ?? "", this.rolesOf(call.keyId));
    if (access.unrestricted) return { decision: "allow" };
    const key = `${call.server ?? ""}\u0000${call.tool}`;
    let tool = this.tools.get(key);
    if (!tool) {
      tool = { name: call.tool };
      this.tools.set(key, tool);
    }
    const facts = {
      name: call.tool,
      originalName: call.originalTool ?? call.tool,
      server: call.server ?? "",
      readOnly: false,
    };
    const denial = access.toolDecision(tool, () => facts);
    return denial ? { decision: "deny", reason: denial.reason } : { decision: "allow" };
  }
}
