import { z } from "zod";
import { apiRoute } from "@/api/api-route.ts";
import { controlPlane } from "@/control-plane.ts";
import { NO_STORE } from "@/fleet/no-store.ts";
import { operatorActor } from "@/fleet/operator-actor.ts";

export const dynamic = "force-dynamic";

/** Published snapshots, newest first (without the JWS). */
export const GET = apiRoute({
  permission: "snapshot:read",
  query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
  handler: async ({ query }) => {
    const { cp, context } = await controlPlane();
    return Response.json({ snapshots: await cp.listSnapshots(context.db, { limit: query.limit }) }, NO_STORE);
  },
});

/** Publish: enqueues a snapshot.publish job and answers its id (poll /api/v1/jobs/{id}). */
export const POST = apiRoute({
  permission: "snapshot:publish",
  body: z.object({ ttlMs: z.number().int().positive().nullable().default(null) }).default({ ttlMs: null }),
  handler: async ({ principal, body }) => {
    const { context } = await controlPlane();
    const { id } = await context.jobs.enqueue("snapshot.publish", {
      actor: operatorActor(principal),
      ttlMs: body.ttlMs,
    });
    return new Response(JSON.stringify({ jobId: id }), {
      status: 202,
      headers: { "content-type": "application/json; charset=utf-8", location: `/api/v1/jobs/${id}` },
    });
  },
});
