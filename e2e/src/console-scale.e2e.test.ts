import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { openDatabase, seedSyntheticLoad } from "@only1mcp/control-plane";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactsDir, launchChromium } from "./browser.ts";
import { type RunningStack, startStack } from "./stack.ts";

// Issue 6: "every screen shows its first content in under 1 s with 10k keys and 1M audit
// events stored". The stack runs on a fresh database of the real Postgres; 10k API keys
// (one tenant) and 1M data-plane audit events are seeded by generate_series (synthetic rows,
// marked: node `synthetic-load`, chains `synthetic:<tenant>`), then every screen is loaded
// in Chromium and the time from navigation start to its first content is recorded.
const WEB_PORT = 3347;
const DATA_PLANE_PORT = 8417;
const KEYS = 10_000;
const EVENTS = 1_000_000;
const LOADS = 3;
const BOUND_MS = 1000;
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

type Screen = { name: string; path: string; content: string };
type Measured = Screen & { loads: number[]; median: number };

async function adminQuery(sql: string) {
  const admin = await openDatabase({ kind: "postgres", url: ADMIN_URL });
  try {
    await admin.db.$executeRawUnsafe(sql);
  } finally {
    await admin.close();
  }
}

/** Navigation start → the first element matching `content` (real data, an empty state, never a spinner). */
async function firstContentMs(page: Page, url: string, content: string): Promise<number> {
  await page.goto(url, { waitUntil: "commit" });
  const handle = await page.waitForFunction(
    (selector) => {
      const found = document.querySelector(selector);
      if (document.querySelector('[data-state="error"]')) return -1;
      return found ? performance.now() : false;
    },
    content,
    { polling: "raf", timeout: 30_000 },
  );
  const ms = (await handle.jsonValue()) as number;
  if (ms < 0) throw new Error(`${url} shows an error state: ${await page.textContent("main")}`);
  return ms;
}

describe(`console at scale: first content of every screen with ${KEYS} keys and ${EVENTS} audit events`, () => {
  const dbName = `only1mcp_e2e_scale_${randomBytes(5).toString("hex")}`;
  let stack: RunningStack;
  let browser: Browser;
  let page: Page;
  let tenantId = "";
  const measured: Measured[] = [];

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${dbName}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${dbName}`;
    stack = await startStack({ webPort: WEB_PORT, dataPlanePort: DATA_PLANE_PORT, env: { DATABASE_URL: url.href } });
    // The launcher applied the migrations (with their indexes) and seeded the demo: add the load.
    const database = await openDatabase({ kind: "postgres", url: url.href });
    try {
      const t0 = performance.now();
      const load = await seedSyntheticLoad(database.db, {
        tag: "scale",
        tenants: 1,
        keysPerTenant: KEYS,
        events: EVENTS,
        days: 30,
      });
      tenantId = load.tenantIds[0] as string;
      const counts = await database.db.$queryRawUnsafe<{ keys: bigint; events: bigint }[]>(
        `SELECT (SELECT count(*) FROM "ApiKey") AS keys, (SELECT count(*) FROM "DataPlaneEvent") AS events`,
      );
      expect(Number(counts[0]?.keys)).toBeGreaterThanOrEqual(KEYS);
      expect(Number(counts[0]?.events)).toBeGreaterThanOrEqual(EVENTS);
      console.log(`seeded ${KEYS} keys and ${EVENTS} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } finally {
      await database.close();
    }
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.goto(`${stack.demo.consoleUrl}/login`);
    await page.fill('input[name="email"]', stack.demo.adminEmail);
    await page.fill('input[name="password"]', stack.demo.adminPassword);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${stack.demo.consoleUrl}/`);
  });

  afterAll(async () => {
    if (stack) writeFileSync(path.join(artifactsDir, "console-scale-stack.log"), stack.output());
    await browser?.close();
    await stack?.stop();
    await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
  });

  it("loads every screen, writes the table, and each first content comes in under 1 s", async () => {
    const tenant = `/tenants/${tenantId}`;
    const screens: Screen[] = [
      { name: "overview", path: "/", content: 'table[aria-label="Traffic"] tbody tr' },
      { name: "tenants", path: "/tenants", content: 'table[aria-label="Tenants"] tbody tr' },
      { name: "API keys (10k)", path: `${tenant}/keys`, content: 'table[aria-label="API keys"] tbody tr' },
      { name: "policies", path: `${tenant}/policies`, content: 'table[aria-label="Policies"], [data-state="empty"]' },
      {
        name: "upstreams",
        path: `${tenant}/upstreams`,
        content: 'table[aria-label="Upstream servers"], [data-state="empty"]',
      },
      { name: "members", path: `${tenant}/members`, content: 'table[aria-label="Members"], [data-state="empty"]' },
      { name: "data planes", path: "/data-planes", content: 'table[aria-label="Data planes"] tbody tr' },
      { name: "audit log (1M)", path: "/audit", content: 'table[aria-label="Audit events"] tbody tr' },
      { name: "reports", path: "/reports", content: 'table[aria-label="Reports"], [data-state="empty"]' },
      { name: "tokens", path: "/tokens", content: 'table[aria-label="Operator tokens"] tbody tr' },
    ];
    for (const screen of screens) {
      const loads: number[] = [];
      for (let i = 0; i < LOADS; i++)
        loads.push(await firstContentMs(page, `${stack.demo.consoleUrl}${screen.path}`, screen.content));
      const sorted = [...loads].sort((a, b) => a - b);
      measured.push({ ...screen, loads, median: sorted[Math.floor(sorted.length / 2)] as number });
      await page.screenshot({
        path: path.join(artifactsDir, `console-scale-${screen.name.replace(/\W+/g, "-")}.png`),
        fullPage: true,
      });
    }

    // The keys screen pages server-side: the table holds one page, not 10k rows.
    await firstContentMs(page, `${stack.demo.consoleUrl}${tenant}/keys`, 'table[aria-label="API keys"] tbody tr');
    expect(await page.locator('table[aria-label="API keys"] tbody tr').count()).toBeLessThanOrEqual(100);
    await firstContentMs(page, `${stack.demo.consoleUrl}/audit`, 'table[aria-label="Audit events"] tbody tr');
    expect(await page.locator('table[aria-label="Audit events"] tbody tr').count()).toBeLessThanOrEqual(200);

    // The audit viewer's filters and cursor paging over the 1M events, timed from the click to
    // the filtered table (recorded in the table below with the screens).
    const key = "key_scale_1_4242";
    // Every row of the audit table shows `text`, and there are at least `min` (the page's CSP
    // forbids string predicates: a function with arguments).
    const rowsShow = ({ min, text }: { min: number; text: string }) => {
      const rows = Array.from(document.querySelectorAll('table[aria-label="Audit events"] tbody tr'));
      return rows.length >= min && rows.every((row) => row.textContent?.includes(text));
    };
    const filtered = async (action: () => Promise<void>, expected: { min: number; text: string }) => {
      const t0 = Date.now();
      await action();
      await page.waitForFunction(rowsShow, expected, { polling: "raf", timeout: 30_000 });
      return Date.now() - t0;
    };
    await firstContentMs(page, `${stack.demo.consoleUrl}/audit`, 'table[aria-label="Audit events"] tbody tr');
    await page.fill("#f-key", key);
    await page.selectOption("#f-decision", "allow");
    const keyMs = await filtered(() => page.click('button:has-text("Apply filters")'), { min: 1, text: key });
    await page.fill("#f-key", "");
    await page.selectOption("#f-decision", "deny");
    await page.click('button:has-text("Apply filters")');
    await page.waitForFunction(rowsShow, { min: 50, text: "FORBIDDEN" }, { timeout: 30_000 });
    const olderMs = await filtered(() => page.click('button:has-text("Older events")'), {
      min: 100,
      text: "FORBIDDEN",
    });
    measured.push(
      { name: "audit: key + decision filter (1M)", path: "/audit", content: "", loads: [keyMs], median: keyMs },
      { name: "audit: next cursor page of denials", path: "/audit", content: "", loads: [olderMs], median: olderMs },
    );

    // The same component set in the dark theme (prefers-color-scheme): the overview's charts and
    // the policy form on the 10k-key tenant, captured for review.
    await page.emulateMedia({ colorScheme: "dark" });
    await firstContentMs(page, `${stack.demo.consoleUrl}/`, 'table[aria-label="Traffic"] tbody tr');
    await page.screenshot({ path: path.join(artifactsDir, "console-scale-overview-dark.png"), fullPage: true });
    await firstContentMs(page, `${stack.demo.consoleUrl}${tenant}/policies`, '[data-state="empty"], table');
    await page.click('button:has-text("New policy")');
    await page.fill("#pf-deny", "synthetic__write");
    await page.click('button:has-text("Add rule")');
    await page.screenshot({ path: path.join(artifactsDir, "console-scale-policy-form-dark.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });

    const table = [
      `First content per screen, ${KEYS} API keys + ${EVENTS} audit events stored (ms from navigation start; ${LOADS} loads)`,
      "",
      "| screen | first load | median | max | bound |",
      "| --- | ---: | ---: | ---: | --- |",
      ...measured.map(
        (row) =>
          `| ${row.name} | ${row.loads[0]?.toFixed(0)} | ${row.median.toFixed(0)} | ${Math.max(...row.loads).toFixed(0)} | ${row.median < BOUND_MS ? "PASS" : "MISS"} < ${BOUND_MS} |`,
      ),
    ].join("\n");
    console.log(table);
    writeFileSync(path.join(artifactsDir, "console-first-content.md"), `${table}\n`);
    writeFileSync(
      path.join(artifactsDir, "console-first-content.json"),
      `${JSON.stringify({ keys: KEYS, events: EVENTS, boundMs: BOUND_MS, screens: measured }, null, 2)}\n`,
    );
    // The bound holds for the median of the loads (one load can meet a busy machine).
    const misses = measured
      .filter((row) => row.median >= BOUND_MS)
      .map((row) => `${row.name}: ${row.median.toFixed(0)} ms`);
    expect(misses).toEqual([]);
  });
});
