import type { Actor, ControlPlaneContext } from "@only1mcp/control-plane";
import type { z } from "zod";
import { type ControlPlaneModule, controlPlane } from "../control-plane.ts";
import { actorOf, created, type Operation, type OperationMeta, param, tenantOf, toJson } from "./operation.ts";
import type { RouteContext, RouteSpec } from "./route.ts";

type AnySchema = z.ZodType;
type Output<S> = S extends AnySchema ? z.output<S> : undefined;

/** What a feature's handler gets besides the route context: the control plane and the caller. */
export type DomainContext = {
  cp: ControlPlaneModule;
  /** The running control plane: its database, job queue, signing key, reconciler. */
  context: ControlPlaneContext;
  db: ControlPlaneContext["db"];
  /** The caller as the control plane's actor (audit records name them). */
  actor: Actor;
  /** The path's tenant (checked by the builder); throws on a route without one. */
  tenant(): string;
  /** A path parameter (404 when absent). */
  param(name: string): string;
};

type DomainSpec<QS extends AnySchema | undefined, BS extends AnySchema | undefined> = Omit<
  RouteSpec<QS, BS>,
  "handler"
> &
  Omit<OperationMeta, "tag"> & {
    /** Returns the JSON answer (201 when `status: 201`), or a Response as it is. */
    run(ctx: RouteContext<Output<QS>, Output<BS>> & DomainContext): Promise<unknown>;
  };

/**
 * The operations of one feature (one OpenAPI tag): each declares its route, permission and
 * schemas, and `run` delegates to the control plane. The control plane, its database, the
 * actor and the path parameters come ready, so an operation file holds only what differs.
 */
export function operations(tag: string) {
  return function define<QS extends AnySchema | undefined = undefined, BS extends AnySchema | undefined = undefined>(
    spec: DomainSpec<QS, BS>,
  ): Operation<QS, BS> {
    const { run, ...rest } = spec;
    return {
      ...rest,
      tag,
      async handler(ctx) {
        const { cp, context } = await controlPlane();
        const result = await run({
          ...ctx,
          cp,
          context,
          db: context.db,
          actor: actorOf(ctx.principal),
          tenant: () => tenantOf(ctx.tenantId),
          param: (name) => param(ctx.params, name),
        });
        if (result instanceof Response) return result;
        return spec.status === 201 ? created(result) : toJson(result);
      },
    };
  };
}
