"use client";

import { useState } from "react";
import { Button, Callout } from "./ui.tsx";

/** A secret shown this once, with a copy button; it is gone when the operator dismisses it. */
export function SecretOnce({ label, secret, onDismiss }: { label: string; secret: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    await navigator.clipboard.writeText(secret).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  }
  return (
    <Callout tone="success" title={`${label}: copy it now, it will not be shown again`}>
      <div className="flex flex-wrap items-center gap-2">
        <input
          readOnly
          aria-label={label}
          data-testid="secret-once"
          value={secret}
          onFocus={(event) => event.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-emerald-300 bg-white px-3 py-2 font-mono text-sm text-slate-900 dark:border-emerald-800 dark:bg-slate-950 dark:text-slate-100"
        />
        <Button size="sm" variant="primary" onClick={copy}>
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button size="sm" variant="ghost" onClick={onDismiss}>
          Done
        </Button>
      </div>
    </Callout>
  );
}
