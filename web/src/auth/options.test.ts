import type { Account, Session, User } from "next-auth";
import { describe, expect, it } from "vitest";
import { buildAuthOptions } from "./options.ts";

const signInArgs = (provider: string, id = "op_1") =>
  ({
    user: { id } as User,
    account: { provider, type: "oauth", providerAccountId: "x" } as Account,
  }) as Parameters<NonNullable<ReturnType<typeof buildAuthOptions>["callbacks"]>["signIn"] & object>[0];

const env = (vars: Record<string, string> = {}): NodeJS.ProcessEnv => ({ NODE_ENV: "test", ...vars });

describe("auth options", () => {
  it("uses JWT sessions, the /login page and non-secure cookies on http://localhost", () => {
    const options = buildAuthOptions({
      NEXTAUTH_URL: "http://localhost:3000",
      NEXTAUTH_SECRET: "s",
    } as NodeJS.ProcessEnv);
    expect(options.session?.strategy).toBe("jwt");
    expect(options.pages?.signIn).toBe("/login");
    expect(options.useSecureCookies).toBe(false);
    expect(options.providers.map((p) => p.id)).toEqual(["credentials"]);
  });

  it("uses secure cookies behind https and adds the OIDC provider only when OIDC_ISSUER is set", () => {
    const options = buildAuthOptions(
      env({
        NEXTAUTH_URL: "https://console.example.com",
        OIDC_ISSUER: "https://idp.example.com/",
        OIDC_CLIENT_ID: "console",
      }),
    );
    expect(options.useSecureCookies).toBe(true);
    expect(options.providers.map((p) => p.id)).toEqual(["credentials", "oidc"]);
  });

  it("admits SSO identities only when they map to an operator, and no other provider", async () => {
    const signIn = buildAuthOptions(env()).callbacks?.signIn;
    expect(await signIn?.(signInArgs("credentials"))).toBe(true);
    expect(await signIn?.(signInArgs("oidc", "op_1"))).toBe(true);
    expect(await signIn?.(signInArgs("oidc", "sso-unmapped:abc"))).toBe(false);
    expect(await signIn?.(signInArgs("github", "op_1"))).toBe(false);
  });

  it("uses the idle timeout as the rolling cookie lifetime", () => {
    const options = buildAuthOptions(env({ ONLY1MCP_SESSION_IDLE_MINUTES: "15" }));
    expect(options.session?.maxAge).toBe(900);
    expect(options.session?.updateAge).toBe(0);
  });

  it("drops the operator from a session past its absolute timeout", async () => {
    const session = buildAuthOptions(env({ ONLY1MCP_SESSION_MAX_HOURS: "1" })).callbacks?.session;
    type Args = Parameters<NonNullable<typeof session>>[0];
    const now = Math.floor(Date.now() / 1000);
    const fresh = await session?.({
      session: { expires: "" },
      token: { operatorId: "op_1", sessionVersion: 0, authTime: now - 60 },
    } as Args);
    expect((fresh as Session | undefined)?.operator?.id).toBe("op_1");
    const stale = await session?.({
      session: { expires: "" },
      token: { operatorId: "op_1", sessionVersion: 0, authTime: now - 7200 },
    } as Args);
    expect((stale as Session | undefined)?.operator).toBeUndefined();
  });
});
