import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { clearAccountAttempts, consumeLoginAttempt } from "./login-rate-limit.ts";

describe("login rate limit", () => {
  it("refuses the 11th attempt on one account within the window, and a success clears it", async () => {
    const account = `${randomUUID()}@example.com`;
    for (let i = 0; i < 10; i++) expect((await consumeLoginAttempt(`10.0.0.${i}`, account)).allowed).toBe(true);
    const refused = await consumeLoginAttempt("10.0.1.1", account);
    expect(refused).toMatchObject({ allowed: false });
    if (!refused.allowed) expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    await clearAccountAttempts(account);
    expect((await consumeLoginAttempt("10.0.1.2", account)).allowed).toBe(true);
  });

  it("refuses the 21st attempt from one address across accounts", async () => {
    const address = `addr-${randomUUID()}`;
    for (let i = 0; i < 20; i++) expect((await consumeLoginAttempt(address, `${randomUUID()}@x`)).allowed).toBe(true);
    expect((await consumeLoginAttempt(address, `${randomUUID()}@x`)).allowed).toBe(false);
  });
});
