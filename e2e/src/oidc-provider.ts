import type { Server } from "node:http";
import { createServer } from "node:net";
import Provider from "oidc-provider";

export type RunningProvider = { issuer: string; clientId: string; clientSecret: string; close(): Promise<void> };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A real OpenID Provider (oidc-provider) with its development login screens: any login
 * name signs in, and the login name is the account's email. The console is registered
 * on `localhost` (DESIGN.md: Next rewrites 127.0.0.1 and the code exchange then fails).
 */
export async function startOidcProvider(consoleUrl: string): Promise<RunningProvider> {
  const port = await freePort();
  const issuer = `http://localhost:${port}`;
  const clientId = "only1mcp-console";
  const clientSecret = "e2e-client-secret-0123456789abcdef";
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${consoleUrl}/api/auth/callback/oidc`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    // Puts email and name in the ID token, where next-auth reads them.
    conformIdTokenClaims: false,
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    cookies: { keys: ["e2e-cookie-key-0123456789"] },
    async findAccount(_ctx: unknown, id: string) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: id, email_verified: true, name: `SSO ${id}` };
        },
      };
    },
  });
  const server: Server = provider.listen(port);
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return {
    issuer,
    clientId,
    clientSecret,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
