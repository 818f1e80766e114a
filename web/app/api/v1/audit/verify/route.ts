import { z } from "zod";
import { apiRoute } from "@/api/api-route.ts";
import { controlPlane } from "@/control-plane.ts";
import { NO_STORE } from "@/fleet/no-store.ts";

export const dynamic = "force-dynamic";

/** Verifies the audit hash chains (one chain and seq range, or all chains). */
export const GET = apiRoute({
  permission: "audit:read",
  query: z.object({
    chainKey: z.string().min(1).optional(),
    fromSeq: z.coerce.number().int().positive().optional(),
    toSeq: z.coerce.number().int().positive().optional(),
  }),
  handler: async ({ query }) => {
    const { cp, context } = await controlPlane();
    const chains = query.chainKey
      ? [await cp.verifyAuditChain(context.db, { ...query, chainKey: query.chainKey })]
      : await cp.verifyAllAuditChains(context.db);
    return Response.json({ ok: chains.every((chain) => chain.ok), chains }, NO_STORE);
  },
});
