// oidc-provider ships no type declarations: the little of its API the e2e tests use.
declare module "oidc-provider" {
  import type { Server } from "node:http";

  type Account = { accountId: string; claims(): Promise<Record<string, unknown>> };

  // biome-ignore lint/style/noDefaultExport: the package's own shape (a default export)
  export default class Provider {
    constructor(
      issuer: string,
      configuration: {
        clients: Array<Record<string, unknown>>;
        conformIdTokenClaims?: boolean;
        claims?: Record<string, string[]>;
        cookies?: { keys: string[] };
        findAccount(ctx: unknown, id: string): Promise<Account | undefined>;
      },
    );
    listen(port: number): Server;
  }
}
