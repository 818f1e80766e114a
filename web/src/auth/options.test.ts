import type { Account, User } from "next-auth";
import { describe, expect, it } from "vitest";
import { buildAuthOptions } from "./options.ts";

const signInArgs = (provider: string) =>
  ({
    user: { id: "op_1" } as User,
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

  it("admits only the local operator provider until SSO identities map to operators", async () => {
    const signIn = buildAuthOptions(env()).callbacks?.signIn;
    expect(await signIn?.(signInArgs("credentials"))).toBe(true);
    expect(await signIn?.(signInArgs("oidc"))).toBe(false);
  });
});
