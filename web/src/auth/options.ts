import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { z } from "zod";
import { controlPlane } from "../control-plane.ts";

/** Console sessions last one working day; the JWT is re-checked against roles on every API call. */
const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

const credentialsInput = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
});

/** The local bootstrap operator: email + password checked by the control plane. */
const localOperator = CredentialsProvider({
  id: "credentials",
  name: "Email and password",
  credentials: {
    email: { label: "Email", type: "email" },
    password: { label: "Password", type: "password" },
  },
  async authorize(raw) {
    const input = credentialsInput.safeParse(raw);
    if (!input.success) return null;
    const { cp, context } = await controlPlane();
    const result = await cp.authenticateOperatorPassword(context.db, input.data.email, input.data.password);
    if (!result.ok) return null;
    return { id: result.operator.id, email: result.operator.email, name: result.operator.name };
  },
});

type OidcProfile = { sub: string; email?: string; name?: string; preferred_username?: string };

/**
 * SSO: an OpenID Connect provider, added when OIDC_ISSUER is set (with OIDC_CLIENT_ID,
 * OIDC_CLIENT_SECRET; OIDC_NAME labels the button). Sign-ins through it are refused in
 * the signIn callback until the control plane maps SSO identities to operators.
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
    profile(profile) {
      return {
        id: profile.sub,
        email: profile.email ?? null,
        name: profile.name ?? profile.preferred_username ?? profile.email ?? profile.sub,
      };
    },
  };
}

export function buildAuthOptions(env: NodeJS.ProcessEnv): NextAuthOptions {
  const oidc = oidcProvider(env);
  return {
    // NEXTAUTH_SECRET and NEXTAUTH_URL come from the environment (the launcher sets them).
    secret: env.NEXTAUTH_SECRET,
    useSecureCookies: env.NEXTAUTH_URL?.startsWith("https://") ?? false,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    providers: oidc ? [localOperator, oidc] : [localOperator],
    callbacks: {
      signIn({ account }) {
        // Fail closed: only the local operator provider maps to an operator today.
        return account?.provider === "credentials";
      },
      jwt({ token, user }) {
        if (user) token.operatorId = user.id;
        return token;
      },
      session({ session, token }) {
        if (typeof token.operatorId === "string") {
          session.operator = {
            id: token.operatorId,
            email: token.email ?? "",
            name: token.name ?? token.email ?? "",
          };
        }
        return session;
      },
    },
  };
}

export const authOptions: NextAuthOptions = buildAuthOptions(process.env);
