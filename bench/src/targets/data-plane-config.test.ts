import { snapshotPayloadSchema } from "@only1mcp/data-plane";
import { describe, expect, it } from "vitest";
import { benchConfig } from "./data-plane-config.ts";

// The bench builds both configurations from whatever the snapshot schema accepts; if the
// schema moves on, the enforcement on/off comparison (issues 4 and 7) must not vanish as a skip.
describe("bench data-plane configurations", () => {
  const upstream = { id: "up_echo", name: "echo", transport: "stdio", command: process.execPath, args: [] };

  it.each(["on", "off"] as const)("enforcement %s is a valid snapshot payload", async (mode) => {
    const { config, enforcement } = await benchConfig(upstream as never, mode);
    expect(snapshotPayloadSchema.safeParse(config).success).toBe(true);
    if (mode === "off") expect(enforcement).toMatch(/rate limiting and audit disabled/);
    else expect(enforcement).toMatch(/policy/);
  });
});
