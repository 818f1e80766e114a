import type { HourlyTraffic, TrafficFigures } from "@only1mcp/control-plane";
import type { ReactNode } from "react";

/**
 * Small SVG charts for the overview (server-rendered, no chart library): one scale of
 * colours with the component set — indigo for calls and p50, indigo-300 for p99, red for
 * errors, amber for denials — in light and dark. Each chart has a text alternative.
 */

const HEIGHT = 140;

export function formatMs(ms: number | null): string {
  if (ms === null) return "—";
  return ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}

/** Calls per hour, stacked: allowed, errors, denied. */
export function HourlyChart({ hours }: { hours: HourlyTraffic[] }) {
  const max = Math.max(1, ...hours.map((hour) => hour.requests));
  const width = 24 * 16;
  const barWidth = width / Math.max(hours.length, 24);
  const total = hours.reduce(
    (sum, hour) => ({
      requests: sum.requests + hour.requests,
      errors: sum.errors + hour.errors,
      denied: sum.denied + hour.denied,
    }),
    { requests: 0, errors: 0, denied: 0 },
  );
  const y = (value: number) => (value / max) * (HEIGHT - 8);
  return (
    <figure className="space-y-2">
      <svg
        role="img"
        aria-label={`Calls per hour: ${total.requests} in total, ${total.errors} errors, ${total.denied} denied; at most ${max} in one hour`}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        preserveAspectRatio="none"
        className="h-36 w-full"
        data-testid="hourly-chart"
      >
        <line
          x1="0"
          x2={width}
          y1={HEIGHT - 0.5}
          y2={HEIGHT - 0.5}
          className="stroke-slate-200 dark:stroke-slate-700"
        />
        {hours.map((hour, index) => {
          const allowed = hour.requests - hour.errors - hour.denied;
          const x = index * barWidth + 1;
          const w = Math.max(1, barWidth - 2);
          const hAllowed = y(allowed);
          const hErrors = y(hour.errors);
          const hDenied = y(hour.denied);
          return (
            <g key={hour.hour}>
              <title>{`${hour.hour.slice(11, 16)} UTC: ${hour.requests} calls, ${hour.errors} errors, ${hour.denied} denied`}</title>
              <rect
                x={x}
                width={w}
                y={HEIGHT - hAllowed}
                height={hAllowed}
                className="fill-indigo-500 dark:fill-indigo-400"
              />
              <rect
                x={x}
                width={w}
                y={HEIGHT - hAllowed - hErrors}
                height={hErrors}
                className="fill-red-500 dark:fill-red-400"
              />
              <rect
                x={x}
                width={w}
                y={HEIGHT - hAllowed - hErrors - hDenied}
                height={hDenied}
                className="fill-amber-400 dark:fill-amber-300"
              />
            </g>
          );
        })}
      </svg>
      <figcaption className="flex flex-wrap gap-4 text-xs text-slate-600 dark:text-slate-400">
        <Legend className="bg-indigo-500 dark:bg-indigo-400">allowed</Legend>
        <Legend className="bg-red-500 dark:bg-red-400">errors ({total.errors})</Legend>
        <Legend className="bg-amber-400 dark:bg-amber-300">denied ({total.denied})</Legend>
        <span className="ml-auto">
          {hours[0] ? `${hours[0].hour.slice(11, 16)} UTC` : ""} → now, max {max}/h
        </span>
      </figcaption>
    </figure>
  );
}

/** p50 and p99 latency per group (tenant or server), as paired horizontal bars. */
export function LatencyBars({
  label,
  rows,
}: {
  label: string;
  rows: (TrafficFigures & { key: string; name: string })[];
}) {
  const timed = rows.filter((row) => row.p99Ms !== null);
  const max = Math.max(1, ...timed.map((row) => row.p99Ms ?? 0));
  if (timed.length === 0)
    return <p className="text-sm text-slate-600 dark:text-slate-400">No timed calls in the window.</p>;
  return (
    <figure className="space-y-3" aria-label={label}>
      <ul className="space-y-3">
        {timed.map((row) => (
          <li key={row.key} className="space-y-1">
            <div className="flex items-baseline justify-between gap-3 text-sm">
              <span className="truncate font-medium" title={row.name}>
                {row.name}
              </span>
              <span className="shrink-0 tabular-nums text-slate-600 dark:text-slate-400">
                p50 {formatMs(row.p50Ms)} · p99 {formatMs(row.p99Ms)}
              </span>
            </div>
            <div className="space-y-0.5" aria-hidden="true">
              <div
                className="h-2 rounded-full bg-indigo-500 dark:bg-indigo-400"
                style={{ width: `${Math.max(1, ((row.p50Ms ?? 0) / max) * 100)}%` }}
              />
              <div
                className="h-2 rounded-full bg-indigo-200 dark:bg-indigo-800"
                style={{ width: `${Math.max(1, ((row.p99Ms ?? 0) / max) * 100)}%` }}
              />
            </div>
          </li>
        ))}
      </ul>
      <figcaption className="flex gap-4 text-xs text-slate-600 dark:text-slate-400">
        <Legend className="bg-indigo-500 dark:bg-indigo-400">p50</Legend>
        <Legend className="bg-indigo-200 dark:bg-indigo-800">p99</Legend>
      </figcaption>
    </figure>
  );
}

function Legend({ className, children }: { className: string; children: ReactNode }) {
  return (
    <span className="inline-flex items-center gap-1.5">
      <span className={`inline-block size-2.5 rounded-sm ${className}`} />
      {children}
    </span>
  );
}
