import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../audit/record-audit-event.ts";
import { type ControlPlaneContext, startControlPlane, stopControlPlane } from "../runtime/control-plane-runtime.ts";
import { decodeSnapshotPayload } from "../snapshots/decode-snapshot-payload.ts";
import { waitUntil } from "../testing/data-plane-process.ts";
import { createTestDatabase } from "../testing/postgres-test-database.ts";

const actor: Actor = { kind: "system", name: "rotation-runtime-test" };

/** The running control plane: stage, activate, and the old key retired by itself once the overlap ends. */
describe("signing-key rotation in the control-plane runtime", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let context: ControlPlaneContext;
  const announced = (jws: string) => decodeSnapshotPayload(jws).trustedKeys?.map((key) => key.kid);

  beforeAll(async () => {
    database = await createTestDatabase();
    const { REDIS_URL: _inProcessQueue, ...env } = process.env;
    context = await startControlPlane({
      ...env,
      DATABASE_URL: database.url,
      ONLY1MCP_DATA_DIR: mkdtempSync(path.join(tmpdir(), "o1-rotation-runtime-")),
      ONLY1MCP_DATA_PLANE_URLS: "",
      ONLY1MCP_KEYRING_CHECK_MS: "200",
    });
  });
  afterAll(async () => {
    await stopControlPlane();
    await database?.drop();
  });

  it("announces the staged key, signs with it once activated, and retires the old key after the overlap", async () => {
    const first = context.signingKey.kid;
    const startup = await database.db.snapshot.findFirstOrThrow({ orderBy: { version: "desc" } });
    expect(announced(startup.jws)).toEqual([first]);

    const staged = await context.stageSigningKey(actor);
    expect(staged.snapshot.created).toBe(true);
    expect(announced(staged.snapshot.jws)).toEqual([first, staged.nextKid]);

    const activated = await context.activateSigningKey(actor, 1500);
    expect(activated.activeKid).toBe(staged.nextKid);
    expect(context.signingKey.kid).toBe(staged.nextKid);
    const signedByNew = await database.db.snapshot.findUniqueOrThrow({
      where: { version: activated.snapshot.version },
    });
    expect(signedByNew.kid).toBe(staged.nextKid);
    expect(announced(signedByNew.jws)).toEqual([staged.nextKid, first]);

    // No operator action: once the overlap ends, a publish stops announcing the old key.
    const retired = await waitUntil(async () => {
      const newest = await database.db.snapshot.findFirstOrThrow({ orderBy: { version: "desc" } });
      return newest.version > activated.snapshot.version ? newest : undefined;
    }, "the retirement publish");
    expect(announced(retired.jws)).toEqual([staged.nextKid]);
    expect(retired.kid).toBe(staged.nextKid);

    const audit = await database.db.auditEvent.findMany({ where: { action: { startsWith: "signing_key." } } });
    expect(audit.map((event) => event.action).sort()).toEqual(["signing_key.activated", "signing_key.staged"]);
  });
});
