import { apiRoute } from "@/api/api-route.ts";
import { getCurrentSnapshot } from "@/snapshots/get-current-snapshot.ts";

export const dynamic = "force-dynamic";

/** The latest signed config snapshot, as the data planes receive it. */
export const GET = apiRoute({
  permission: "snapshot:read",
  handler: () => getCurrentSnapshot(),
});
