"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import { api } from "./api-client.ts";
import { Button } from "./ui.tsx";

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  async function everywhere() {
    setPending(true);
    // Bumps the operator's session version: every other session is refused from now on.
    await api("/session/sign-out-everywhere", { method: "POST" }).catch(() => undefined);
    await signOut({ callbackUrl: "/login" });
  }
  return (
    <div className="flex items-center gap-2">
      <Button variant="ghost" size="sm" disabled={pending} onClick={everywhere}>
        Sign out everywhere
      </Button>
      <Button size="sm" onClick={() => signOut({ callbackUrl: "/login" })}>
        Sign out
      </Button>
    </div>
  );
}
