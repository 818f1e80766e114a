import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    /** The signed-in operator (set by the session callback in options.ts). */
    operator?: { id: string; email: string; name: string };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    operatorId?: string;
  }
}
