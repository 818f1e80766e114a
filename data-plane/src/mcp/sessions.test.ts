import { describe, expect, it } from "vitest";
import { SessionStore } from "./sessions.ts";

describe("SessionStore", () => {
  it("keeps refusing what it refused before a session id was cached as verified", () => {
    const store = new SessionStore();
    const session = store.create("ten_a", "key_a", "2025-06-18");
    expect(store.find(session.id, "ten_a", "key_a")).toMatchObject({
      ok: true,
      session: { protocolVersion: "2025-06-18" },
    });
    // A verified id stays bound to its credential, and DELETE still revokes it.
    expect(store.find(session.id, "ten_a", "key_b")).toEqual({ ok: false });
    expect(store.find(session.id, "ten_b", "key_a")).toEqual({ ok: false });
    store.delete(session.id);
    expect(store.find(session.id, "ten_a", "key_a")).toEqual({ ok: false });
  });

  it("refuses a forged MAC and an id another secret signed", () => {
    const store = new SessionStore({ secret: "a".repeat(32) });
    const other = new SessionStore({ secret: "b".repeat(32) });
    const session = store.create("ten_a", "key_a", "2025-06-18");
    const [body] = session.id.split(".");
    expect(store.find(`${body}.${"A".repeat(43)}`, "ten_a", "key_a")).toEqual({ ok: false });
    expect(other.find(session.id, "ten_a", "key_a")).toEqual({ ok: false });
    expect(store.find(session.id, "ten_a", "key_a").ok).toBe(true);
  });

  it("expires sessions after their ttl even once verified", async () => {
    const store = new SessionStore({ ttlMs: 20 });
    const session = store.create("ten_a", "key_a", "2025-06-18");
    expect(store.find(session.id, "ten_a", "key_a").ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(store.find(session.id, "ten_a", "key_a").ok).toBe(false);
  });
});
