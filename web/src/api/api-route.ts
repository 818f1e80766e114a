import { sessionPrincipal, tokenPrincipal } from "../auth/session.ts";
import { createRouteBuilder } from "./route.ts";

/** The route builder every /api/v1 handler uses, wired to the console session and operator tokens. */
export const apiRoute = createRouteBuilder({
  authenticate: {
    bearer: tokenPrincipal,
    session: () => sessionPrincipal(),
  },
});
