import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    /** The signed-in operator (set by the session callback in options.ts). */
    operator?: { id: string; email: string; name: string; sessionVersion: number };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    operatorId?: string;
    /** The operator's session version at sign-in: "sign out everywhere" bumps it. */
    sessionVersion?: number;
    /** Sign-in time, epoch seconds: the absolute timeout counts from here. */
    authTime?: number;
  }
}
