import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { z } from "zod";
import { controlPlane } from "../control-plane.ts";
import { clearAccountAttempts, clientAddress, consumeLoginAttempt } from "./login-rate-limit.ts";
import { pastAbsoluteTimeout, sessionTimeoutsFrom } from "./session-timeouts.ts";

const credentialsInput = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
});

/** Thrown to next-auth, which passes the message to the sign-in page as `error`. */
export const RATE_LIMITED_ERROR = "RateLimited";

/** The local bootstrap operator: email + password checked by the control plane, rate-limited. */
const localOperator = CredentialsProvider({
  id: "credentials",
  name: "Email and password",
  credentials: {
    email: { label: "Email", type: "email" },
    password: { label: "Password", type: "password" },
  },
  async authorize(raw, request) {
    const input = credentialsInput.safeParse(raw);
    if (!input.success) return null;
    const limit = await consumeLoginAttempt(clientAddress(request?.headers), input.data.email);
    if (!limit.allowed) throw new Error(RATE_LIMITED_ERROR);
    const { cp, context } = await controlPlane();
    const result = await cp.authenticateOperatorPassword(context.db, input.data.email, input.data.password);
    if (!result.ok) return null;
    await clearAccountAttempts(input.data.email);
    return { id: result.operator.id, email: result.operator.email, name: result.operator.name };
  },
});

type OidcProfile = {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
};

/** Ids of SSO identities that map to no operator: the signIn callback refuses them. */
const UNMAPPED = "sso-unmapped:";

/**
 * SSO: an OpenID Connect provider (authorization code + PKCE + state), added when
 * OIDC_ISSUER is set (with OIDC_CLIENT_ID, OIDC_CLIENT_SECRET; OIDC_NAME labels the
 * button). An identity maps to the operator with the same (verified) email; an unknown
 * email, or an operator without any role, gets no access.
 */
function oidcProvider(env: NodeJS.ProcessEnv): OAuthConfig<OidcProfile> | null {
  const issuer = env.OIDC_ISSUER?.trim();
  if (!issuer) return null;
  return {
    id: "oidc",
    name: env.OIDC_NAME?.trim() || "Single sign-on",
    type: "oauth",
    wellKnown: `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId: env.OIDC_CLIENT_ID ?? "",
    clientSecret: env.OIDC_CLIENT_SECRET ?? "",
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    async profile(profile) {
      const email = profile.email_verified === false ? null : (profile.email ?? null);
      const { cp, context } = await controlPlane();
      const operator = await cp.findSsoOperator(context.db, email);
      if (!operator) return { id: `${UNMAPPED}${profile.sub}`, email, name: profile.name ?? email ?? profile.sub };
      return { id: operator.id, email: operator.email, name: operator.name };
    },
  };
}

export function buildAuthOptions(env: NodeJS.ProcessEnv): NextAuthOptions {
  const oidc = oidcProvider(env);
  const timeouts = sessionTimeoutsFrom(env);
  const secure = env.NEXTAUTH_URL?.startsWith("https://") ?? false;
  return {
    // NEXTAUTH_SECRET and NEXTAUTH_URL come from the environment (the launcher sets them).
    secret: env.NEXTAUTH_SECRET,
    useSecureCookies: secure,
    // Idle timeout: the JWT cookie expires maxAge after the last request that refreshed it.
    session: { strategy: "jwt", maxAge: timeouts.idleSeconds, updateAge: 0 },
    jwt: { maxAge: timeouts.idleSeconds },
    pages: { signIn: "/login", error: "/login" },
    providers: oidc ? [localOperator, oidc] : [localOperator],
    callbacks: {
      signIn({ account, user }) {
        if (account?.provider === "credentials") return true;
        // Fail closed: an SSO identity signs in only when it maps to an operator with a role.
        return account?.provider === "oidc" && !user.id.startsWith(UNMAPPED);
      },
      async jwt({ token, user }) {
        if (user) {
          token.operatorId = user.id;
          token.sessionVersion = await currentVersion(user.id);
          token.authTime = Math.floor(Date.now() / 1000);
        }
        return token;
      },
      session({ session, token }) {
        // Past the absolute timeout the session carries no operator: every page and API refuses it.
        if (typeof token.operatorId === "string" && !pastAbsoluteTimeout(token.authTime, timeouts)) {
          session.operator = {
            id: token.operatorId,
            email: token.email ?? "",
            name: token.name ?? token.email ?? "",
            sessionVersion: token.sessionVersion ?? -1,
          };
        }
        return session;
      },
    },
  };
}

async function currentVersion(operatorId: string): Promise<number> {
  const { context } = await controlPlane();
  const operator = await context.db.operator.findUnique({
    where: { id: operatorId },
    select: { sessionVersion: true },
  });
  return operator?.sessionVersion ?? -1;
}

export const authOptions: NextAuthOptions = buildAuthOptions(process.env);
