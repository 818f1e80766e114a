import { canonicalJson, sha256Hex } from "@only1mcp/data-plane";

/** The prevHash of a chain's first event. */
export const GENESIS_HASH = "0".repeat(64);
/** The chain of events that carry no tenant (failed authentication before a key is known). */
export const NO_TENANT_CHAIN = "-";

export function chainKeyFor(tenantId: string | null): string {
  return tenantId ?? NO_TENANT_CHAIN;
}

/** Every stored column of a data-plane event except its own hash. */
export type ChainedFields = {
  id: string;
  chainKey: string;
  seq: number;
  prevHash: string;
  tenantId: string | null;
  nodeId: string;
  keyId: string | null;
  kind: string;
  method: string | null;
  server: string | null;
  tool: string | null;
  originalTool: string | null;
  decision: string;
  code: string;
  latencyMs: number | null;
  argsSha256: string | null;
  clientAddress: string | null;
  occurredAt: Date;
  receivedAt: Date;
};

/**
 * sha256 over the canonical JSON of the event, its place in the chain and the previous
 * event's hash: changing any stored column, or removing a row, breaks the chain.
 */
export function eventHash(fields: ChainedFields): string {
  return sha256Hex(
    canonicalJson({
      ...fields,
      occurredAt: fields.occurredAt.toISOString(),
      receivedAt: fields.receivedAt.toISOString(),
    }),
  );
}
