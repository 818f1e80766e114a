import { mkdtemp, readdir, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeSigningKey, payload, signPayload } from "../testing/fixtures.ts";
import type { AppliedConfig } from "./applied-config.ts";
import { ConfigState } from "./apply.ts";
import { FileSnapshotStore, type SnapshotStore } from "./store.ts";
import { TrustedKeys } from "./verify.ts";

class MemoryStore implements SnapshotStore {
  writes: string[] = [];
  async read() {
    return this.writes.at(-1);
  }
  async write(jws: string) {
    this.writes.push(jws);
  }
}

async function setup() {
  const key = await makeSigningKey();
  const store = new MemoryStore();
  const applied: AppliedConfig[] = [];
  const state = new ConfigState({
    trusted: await TrustedKeys.fromJwks([key.publicJwk]),
    store,
    onApply: (c) => applied.push(c),
  });
  return { key, store, applied, state };
}

describe("ConfigState.applyJws", () => {
  it("applies a newer snapshot, persists it, and refuses a replay or an older version without changing anything", async () => {
    const { key, store, applied, state } = await setup();
    const v2 = await signPayload(payload(2), key);
    expect(await state.applyJws(v2)).toMatchObject({ ok: true, config: { version: 2, source: "snapshot" } });
    expect(store.writes).toEqual([v2]);

    const replay = await state.applyJws(v2);
    expect(replay).toMatchObject({ ok: false, error: { code: "SNAPSHOT_STALE" } });
    const older = await state.applyJws(await signPayload(payload(1), key));
    expect(older).toMatchObject({ ok: false, error: { code: "SNAPSHOT_STALE" } });
    expect(state.current()?.version).toBe(2);
    expect(store.writes).toHaveLength(1);
    expect(applied).toHaveLength(1);

    expect(await state.applyJws(await signPayload(payload(3), key))).toMatchObject({ ok: true });
    expect(state.current()?.version).toBe(3);
  });

  it("changes nothing on a bad signature, an unknown key or an expired snapshot", async () => {
    const { key, store, state } = await setup();
    await state.applyJws(await signPayload(payload(1), key));
    const stranger = await makeSigningKey();
    const expired = { ...payload(5), expiresAt: new Date(Date.now() - 1).toISOString() };
    const jws = await signPayload(payload(4), key);
    const tampered = `${jws.slice(0, -4)}AAAA`;
    const results = [
      await state.applyJws(tampered),
      await state.applyJws(await signPayload(payload(4), stranger)),
      await state.applyJws(await signPayload(expired, key)),
      await state.applyJws("garbage"),
    ];
    expect(results.map((r) => (r.ok ? "ok" : r.error.code))).toEqual([
      "SNAPSHOT_BAD_SIGNATURE",
      "SNAPSHOT_UNKNOWN_KEY",
      "SNAPSHOT_EXPIRED",
      "SNAPSHOT_MALFORMED",
    ]);
    expect(state.current()?.version).toBe(1);
    expect(store.writes).toHaveLength(1);
  });

  it("serialises concurrent applies so only one of two equal versions wins", async () => {
    const { key, state } = await setup();
    const [a, b] = await Promise.all([
      state.applyJws(await signPayload(payload(7, []), key)),
      state.applyJws(await signPayload({ ...payload(7), issuedAt: "2020-01-01T00:00:00Z" }, key)),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
  });

  it("re-verifies last-known-good at boot", async () => {
    const { key, store, state } = await setup();
    await state.applyJws(await signPayload(payload(9), key));
    const rebooted = new ConfigState({
      trusted: await TrustedKeys.fromJwks([key.publicJwk]),
      store,
      onApply: () => {},
    });
    expect(await rebooted.loadLastKnownGood()).toMatchObject({ ok: true, config: { version: 9 } });
    const distrusting = new ConfigState({ trusted: await TrustedKeys.fromJwks([]), store, onApply: () => {} });
    expect(await distrusting.loadLastKnownGood()).toMatchObject({ ok: false, error: { code: "SNAPSHOT_UNKNOWN_KEY" } });
    expect(distrusting.current()).toBeUndefined();
  });
});

describe("FileSnapshotStore", () => {
  it("writes atomically with mode 0600 and reads back", async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), "dp-store-")), "nested");
    const store = new FileSnapshotStore(dir);
    expect(await store.read()).toBeUndefined();
    await store.write("a.b.c");
    await store.write("d.e.f");
    expect(await store.read()).toBe("d.e.f");
    expect((await stat(store.file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(["last-known-good.jws"]);
  });
});
