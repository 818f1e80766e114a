import { describe, expect, it } from "vitest";
import { Cancellation } from "../upstreams/cancellation.ts";
import { ClientRequestBroker, clientRequestCapabilities, type RequesterContext } from "./client-requests.ts";
import type { HandlerOutcome } from "./handlers.ts";

const sampling = { method: "sampling/createMessage", params: { messages: [], maxTokens: 1 } };

function legacy(sessionId: string, sent: Record<string, unknown>[], cancellation = new Cancellation()) {
  const ctx: RequesterContext = {
    tenantId: "t",
    keyId: "k",
    sessionId,
    cancellation,
    emit: (message) => sent.push(message),
  };
  return ctx;
}

describe("ClientRequestBroker", () => {
  it("refuses requests no call caused, and requests two clients may have caused", async () => {
    const broker = new ClientRequestBroker();
    expect(await broker.route([], sampling)).toMatchObject({ error: { code: -32603 } });
    const reply = await broker.route([legacy("s1", []), legacy("s2", [])], sampling);
    expect(reply).toMatchObject({ error: { message: expect.stringContaining("several clients") } });
    expect(await broker.route([legacy("s1", [])], { method: "tools/call" })).toMatchObject({
      error: { code: -32601 },
    });
  });

  it("sends a legacy client the request under a gateway id and takes only its own session's answer", async () => {
    const broker = new ClientRequestBroker();
    const sent: Record<string, unknown>[] = [];
    const pending = broker.route([legacy("s1", sent), legacy("s1", sent)], sampling);
    expect(sent).toHaveLength(1);
    const id = sent[0]?.id as string;
    expect(sent[0]).toMatchObject({ jsonrpc: "2.0", method: "sampling/createMessage" });
    expect(broker.answer("s2", { id, result: { model: "x" } })).toBe(false);
    expect(broker.answer("s1", { id, result: { model: "m" } })).toBe(true);
    expect(await pending).toEqual({ result: { model: "m" } });
    expect(broker.answer("s1", { id, result: {} })).toBe(false);
    expect(broker.pending.legacy).toBe(0);
  });

  it("answers the upstream with an error when the client's call ends first", async () => {
    const broker = new ClientRequestBroker();
    const cancellation = new Cancellation();
    const pending = broker.route([legacy("s1", [], cancellation)], sampling);
    cancellation.cancel("client disconnected");
    expect(await pending).toMatchObject({ error: { message: expect.stringContaining("client disconnected") } });
    expect(broker.pending.legacy).toBe(0);
  });

  it("turns a 2026-07-28 call's upstream request into input_required and resumes it for its own credential only", async () => {
    const broker = new ClientRequestBroker();
    const ctx: RequesterContext = { tenantId: "t", keyId: "k" };
    const cancellation = new Cancellation();
    const flow = broker.startFlow(ctx, { sampling: {} }, cancellation, 5_000);
    ctx.flow = flow;
    let finish: (outcome: HandlerOutcome) => void = () => {};
    const call = new Promise<HandlerOutcome>((resolve) => {
      finish = resolve;
    });
    const first = flow.start(call);
    const asked = broker.route([ctx], sampling);
    const round = (await first) as { ok: true; result: Record<string, unknown> };
    expect(round.result.resultType).toBe("input_required");
    const state = round.result.requestState as string;
    const [key] = Object.keys(round.result.inputRequests as object);
    expect(round.result.inputRequests).toEqual({ [key as string]: sampling });

    expect(broker.resume("t", "other-key", state)).toBeUndefined();
    expect(broker.resume("other-tenant", "k", state)).toBeUndefined();
    const resumed = broker.resume("t", "k", state);
    expect(resumed).toBe(flow);
    const second = resumed?.resume({ [key as string]: { model: "m" } }, undefined);
    expect(await asked).toEqual({ result: { model: "m" } });
    finish({ ok: true, result: { content: [] } });
    expect(await second).toEqual({ ok: true, result: { content: [] } });
    expect(broker.resume("t", "k", state)).toBeUndefined();
    expect(broker.pending.flows).toBe(0);
  });

  it("refuses a 2026-07-28 client without the capability, and cancels the call of a client that never comes back", async () => {
    const broker = new ClientRequestBroker();
    const noCaps: RequesterContext = { tenantId: "t", keyId: "k" };
    noCaps.flow = broker.startFlow(noCaps, {}, new Cancellation(), 5_000);
    expect(await broker.route([noCaps], sampling)).toMatchObject({ error: { code: -32601 } });

    const ctx: RequesterContext = { tenantId: "t", keyId: "k" };
    const cancellation = new Cancellation();
    ctx.flow = broker.startFlow(ctx, { sampling: {} }, cancellation, 50);
    const first = ctx.flow.start(
      new Promise<HandlerOutcome>((resolve) =>
        cancellation.onCancel((reason) => resolve({ ok: false, error: { code: "UPSTREAM_FAILED", message: reason } })),
      ),
    );
    void broker.route([ctx], sampling);
    expect(((await first) as { ok: true; result: { resultType: string } }).result.resultType).toBe("input_required");
    await new Promise((r) => setTimeout(r, 150));
    expect(cancellation.reason).toMatch(/did not answer/);
    expect(broker.pending.flows).toBe(0);
  });

  it("keeps a legacy session to what its client declared at initialize", async () => {
    expect(clientRequestCapabilities({ sampling: {}, roots: { listChanged: true } })).toBe("sr");
    expect(clientRequestCapabilities(undefined)).toBe("");
    const broker = new ClientRequestBroker();
    const sent: Record<string, unknown>[] = [];
    const ctx = { ...legacy("s1", sent), clientCapabilities: "r" };
    expect(await broker.route([ctx], sampling)).toMatchObject({ error: { code: -32601 } });
    expect(sent).toHaveLength(0);
    const roots = broker.route([ctx], { method: "roots/list" });
    expect(sent[0]).toMatchObject({ method: "roots/list" });
    broker.answer("s1", { id: sent[0]?.id, result: { roots: [] } });
    expect(await roots).toEqual({ result: { roots: [] } });
  });
});
