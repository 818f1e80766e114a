import { canonicalJson, sha256Hex } from "../snapshots/canonical.ts";
import { type AuditSink, NO_AUDIT } from "./audit-shipper.ts";

/** What the request path knows when it records a decision. */
export type AuditContext = {
  tenantId: string | null;
  keyId: string | null;
  audit?: AuditSink;
  clientAddress?: string;
};

export type ToolRef = { server: string; originalTool: string } | undefined;

/** Whether decisions are recorded at all: with no sink (audit off) no event is built. */
export function recording(sink: AuditSink | undefined): sink is AuditSink {
  return sink !== undefined && sink !== NO_AUDIT;
}

const clip = (value: string | undefined, max: number): string | null =>
  value === undefined ? null : value.length > max ? value.slice(0, max) : value;

export function auditAuthentication(ctx: AuditContext, decision: "allow" | "deny", code: string): void {
  if (!recording(ctx.audit)) return;
  ctx.audit.record({
    tenantId: ctx.tenantId,
    keyId: ctx.keyId,
    kind: "authentication",
    method: null,
    clientAddress: clip(ctx.clientAddress, 64),
    server: null,
    tool: null,
    originalTool: null,
    decision,
    code: code.slice(0, 64),
    latencyMs: null,
    argsSha256: null,
  });
}

export function auditAuthorization(
  ctx: AuditContext,
  method: string,
  tool: string | null,
  ref: ToolRef,
  decision: "allow" | "deny",
  code: string,
): void {
  if (!recording(ctx.audit)) return;
  ctx.audit.record({
    tenantId: ctx.tenantId,
    keyId: ctx.keyId,
    kind: "authorization",
    method,
    clientAddress: clip(ctx.clientAddress, 64),
    server: ref?.server.slice(0, 128) ?? null,
    tool: tool === null ? null : tool.slice(0, 256),
    originalTool: ref?.originalTool.slice(0, 256) ?? null,
    decision,
    code: code.slice(0, 64),
    latencyMs: null,
    argsSha256: null,
  });
}

/** Arguments are recorded as sha256 of their canonical JSON, never in clear. */
export function auditCall(
  ctx: AuditContext,
  tool: string,
  ref: ToolRef,
  args: unknown,
  decision: "allow" | "error",
  code: string,
  latencyMs: number,
): void {
  if (!recording(ctx.audit)) return;
  let argsSha256: string | null = null;
  try {
    argsSha256 = sha256Hex(canonicalJson(args ?? {}));
  } catch {
    argsSha256 = null;
  }
  ctx.audit.record({
    tenantId: ctx.tenantId,
    keyId: ctx.keyId,
    kind: "call",
    method: "tools/call",
    clientAddress: clip(ctx.clientAddress, 64),
    server: ref?.server.slice(0, 128) ?? null,
    tool: tool.slice(0, 256),
    originalTool: ref?.originalTool.slice(0, 256) ?? null,
    decision,
    code: code.slice(0, 64),
    latencyMs: Math.max(0, latencyMs),
    argsSha256,
  });
}
