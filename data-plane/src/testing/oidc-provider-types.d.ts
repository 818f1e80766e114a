// oidc-provider ships no type declarations: the little of its API the token-exchange
// test uses (a provider with client credentials, resource indicators and one
// registered extension grant).
declare module "oidc-provider" {
  import type { Server } from "node:http";

  export type GrantContext = {
    oidc: {
      params: Record<string, string | undefined>;
      client: { clientId: string };
      provider: Provider;
    };
    body: unknown;
  };

  export class ResourceServerModel {
    constructor(identifier: string, data: Record<string, unknown>);
  }

  export class AccessTokenModel {
    constructor(fields: Record<string, unknown>);
    resourceServer: ResourceServerModel;
    expiration: number;
    save(): Promise<string>;
  }

  export const errors: {
    InvalidGrant: new (description: string) => Error;
    InvalidRequest: new (description: string) => Error;
    InvalidTarget: new (description?: string) => Error;
  };

  // biome-ignore lint/style/noDefaultExport: the package's own shape (a default export)
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    readonly AccessToken: typeof AccessTokenModel;
    readonly ResourceServer: typeof ResourceServerModel;
    registerGrantType(name: string, handler: (ctx: GrantContext) => Promise<void>, params: string[]): void;
    listen(port: number): Server;
  }
}
