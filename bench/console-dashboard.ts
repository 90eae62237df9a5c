import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { readLoadBefore } from './load-guard.js';
import { killStarted, startNode, stop, type Server } from './processes.js';
import { machine, startResult } from './report.js';
import { judge, type BenchResult } from './results-schema.js';
import { taskCount } from './reuse.js';
import { dashboardCallTimes } from './scenarios-console.js';
import {
  BENCH_PASSWORD,
  createMigratedDatabase,
  dropDatabase,
  seed,
  urlOf,
  withClient,
} from './seed.js';

/**
 * `npm run bench:console [-- --tasks N | --database NAME] [--runs R] [--keep]`
 *
 * The console's dashboard budget: interactive within 2 s on a slow 4G connection against the
 * benchmark's 1,000,000-task database. Seeds a database as `npm run bench` does (or reuses one
 * given by --database, e.g. one kept with --keep), starts the built service, signs in as the
 * office in Debian's Chromium and opens 工作台 with the network throttled through CDP
 * (`Network.emulateNetworkConditions`, Chrome DevTools' "Slow 4G" preset). "Interactive" is the
 * moment every figure shows its number (each is a button that opens the list); the trend line
 * and the two bar charts are timed too.
 *
 * Two cases: warm — the console's hashed files already in the browser's cache, as on a clerk's
 * daily visit (index.html is revalidated, `no-cache`); cold — a first visit with an empty cache.
 */

/** Chrome DevTools' "Slow 4G" (SDK NetworkManager: 1.6 Mbps × 0.9 down, 750 kbps × 0.9 up, 150 ms × 3.75). */
export const SLOW_4G = {
  offline: false,
  downloadThroughput: (1.6 * 1000 * 1000 * 0.9) / 8, // 180,000 B/s = 1.44 Mbit/s
  uploadThroughput: (750 * 1000 * 0.9) / 8, // 84,375 B/s = 675 kbit/s
  latency: 150 * 3.75, // 562.5 ms added to every request
};

const { values: args } = parseArgs({
  options: {
    tasks: { type: 'string', default: '1000000' },
    database: { type: 'string' },
    runs: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
    'ignore-load': { type: 'boolean', default: false },
    /** Seconds (at most 200 requests) per dashboard API call at one connection. */
    seconds: { type: 'string', default: '10' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
});
const tasks = Number(args.tasks);
const runs = Number(args.runs);
const ADMIN_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@localhost:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
const log = (line: string): void => console.log(line);

// Evaluated in the page, as functions: the console's CSP forbids evaluating strings. This file is
// compiled without the DOM's types, hence the narrow view of `document`.
interface PageDocument {
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
}
const FIGURES_SHOWN = (): boolean => {
  const { document } = globalThis as unknown as { document: PageDocument };
  const values = Array.from(document.querySelectorAll('[data-testid^="figure-"] .figure-value'));
  return values.length >= 9 && values.every((v) => /^\d+$/.test(v.textContent ?? ''));
};
const CHARTS_DRAWN = (): boolean => {
  const { document } = globalThis as unknown as { document: PageDocument };
  return document.querySelectorAll('.charts canvas').length >= 3;
};

const SW_CONTROLS = async (): Promise<boolean> => {
  const { navigator } = globalThis as unknown as {
    navigator: { serviceWorker: { ready: Promise<unknown>; controller: unknown } };
  };
  await navigator.serviceWorker.ready;
  return !!navigator.serviceWorker.controller;
};

const RESOURCE_TIMES = (): [string, number, number][] => {
  const { performance } = globalThis as unknown as {
    performance: {
      getEntriesByType(t: string): { name: string; startTime: number; responseEnd: number }[];
    };
  };
  return [
    ...performance.getEntriesByType('navigation'),
    ...performance.getEntriesByType('resource'),
  ].map((e) => [e.name.replace(/^https?:\/\/[^/]+/, ''), e.startTime, e.responseEnd]);
};

interface Timing {
  figures: number;
  trend: number;
  charts: number;
  /** Requests that went over the (throttled) network, and of them those to the API. */
  requests: number;
  apiRequests: number;
  kilobytes: number;
}

async function throttled(page: Page): Promise<() => Timing> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  let requests = 0;
  let apiRequests = 0;
  let cached = 0;
  let bytes = 0;
  cdp.on('Network.requestWillBeSent', (e: { request: { url: string } }) => {
    requests++;
    if (e.request.url.includes('/api/v1/')) apiRequests++;
  });
  cdp.on('Network.requestServedFromCache', () => cached++);
  cdp.on(
    'Network.responseReceived',
    (e: { response: { fromDiskCache?: boolean; fromServiceWorker?: boolean } }) => {
      if (e.response.fromDiskCache || e.response.fromServiceWorker) cached++;
    },
  );
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
    bytes += e.encodedDataLength;
  });
  return () => ({
    figures: 0,
    trend: 0,
    charts: 0,
    requests: requests - cached,
    apiRequests,
    kilobytes: bytes / 1024,
  });
}

/** Opens the dashboard and times it from the navigation's start. */
async function openDashboard(page: Page): Promise<Timing> {
  const counters = await throttled(page);
  const started = Date.now();
  await page.goto('/dashboard', { waitUntil: 'commit' });
  await page.waitForFunction(FIGURES_SHOWN, undefined, { polling: 20, timeout: 60_000 });
  const figures = Date.now() - started;
  await page.waitForSelector('[data-testid="trend"] canvas', { timeout: 60_000 });
  const trend = Date.now() - started;
  await page.waitForFunction(CHARTS_DRAWN, undefined, {
    polling: 20,
    timeout: 60_000,
  });
  const charts = Date.now() - started;
  if (process.env.BENCH_CONSOLE_TRACE) {
    const entries = (await page.evaluate(RESOURCE_TIMES)) as [string, number, number][];
    for (const [name, start, end] of entries)
      log(
        `    ${String(Math.round(start)).padStart(6)} → ${String(Math.round(end)).padStart(6)} ms  ${name}`,
      );
  }
  return { ...counters(), figures, trend, charts };
}

async function signIn(context: BrowserContext): Promise<void> {
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('用户名').fill('bench-admin');
  await page.getByLabel('密码', { exact: true }).fill(BENCH_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL('**/dashboard');
  await page.waitForFunction(CHARTS_DRAWN);
  // The console's service worker has kept its files (a clerk's next visit starts from them).
  await page.waitForFunction(SW_CONTROLS, undefined, { timeout: 60_000 });
  // One visit under the worker, which keeps the page for the next ones.
  await page.goto('/dashboard');
  await page.waitForFunction(FIGURES_SHOWN, undefined, { timeout: 60_000 });
  await page.close();
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(base: string): Promise<Record<'warm' | 'cold', Timing[]>> {
  const browser: Browser = await chromium.launch({
    executablePath: args.chromium,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const options = {
    baseURL: base,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 768 },
  };
  const out: Record<'warm' | 'cold', Timing[]> = { warm: [], cold: [] };
  try {
    // Warm: one context signed in once (that fills its cache); every visit a fresh tab.
    const warm = await browser.newContext(options);
    await signIn(warm);
    for (let i = 0; i < runs; i++) {
      const page = await warm.newPage();
      out.warm.push(await openDashboard(page));
      await page.close();
    }
    // Cold: a new context per visit carrying only the refresh cookie, so nothing is cached.
    for (let i = 0; i < runs; i++) {
      const state = await warm.storageState();
      const cold = await browser.newContext({ ...options, storageState: state });
      const page = await cold.newPage();
      out.cold.push(await openDashboard(page));
      // The visit rotated the refresh token: hand the new cookie back to the warm context.
      await warm.clearCookies();
      await warm.addCookies((await cold.storageState()).cookies);
      await cold.close();
    }
    await warm.close();
  } finally {
    await browser.close();
  }
  return out;
}

async function token(base: string): Promise<string> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench-admin', password: BENCH_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status}`);
  return ((await login.json()) as { accessToken: string }).accessToken;
}

async function main(): Promise<void> {
  const started = new Date();
  const guard = readLoadBefore(args['ignore-load'], log);
  const ownDb = !args.database;
  const dbName = args.database ?? `bench_console_${stamp.replace('-', '_')}`;
  const storage = mkdtempSync(join(tmpdir(), 'cc-bench-console-'));
  let api: Server | undefined;
  try {
    let url = urlOf(ADMIN_URL, dbName);
    if (ownDb) {
      log(`bench:console: database ${dbName}, ${tasks.toLocaleString('en')} tasks`);
      url = await createMigratedDatabase(ADMIN_URL, dbName);
      const t0 = Date.now();
      await seed(url, tasks, log);
      log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } else log(`bench:console: reusing database ${dbName}`);
    api = await startNode(
      'api',
      'dist/bench/serve-api.js',
      {
        NODE_ENV: 'production',
        APP_ROLE: 'api',
        LOG_LEVEL: 'warn',
        DATABASE_URL: url,
        DATABASE_CREATE_IF_MISSING: 'false',
        MIGRATIONS_RUN_ON_START: 'false',
        SEED_CATALOG_ON_START: 'false',
        REDIS_URL,
        REDIS_PREFIX: `bench-console:${stamp}`,
        JWT_SECRET: randomBytes(32).toString('hex'),
        AUTH_COOKIE_SECURE: 'false',
        NODE_OPTIONS: '--max-old-space-size=192 --max-semi-space-size=16',
        STORAGE_ROOT: storage,
      },
      '/health/ready',
    );
    const pid = api.child.pid as number;
    const calls = await dashboardCallTimes(
      { base: api.base, pid },
      await token(api.base),
      Number(args.seconds),
    );
    const { warm, cold } = await measure(api.base);
    const row = (name: string, ts: Timing[]) =>
      `| ${name} | ${median(ts.map((t) => t.figures))} ms | ${median(ts.map((t) => t.trend))} ms | ${median(ts.map((t) => t.charts))} ms | ${median(ts.map((t) => t.requests))} (API ${median(ts.map((t) => t.apiRequests))}) | ${Math.round(median(ts.map((t) => t.kilobytes)))} KB | ${ts.map((t) => t.figures).join(', ')} |`;
    const md = [
      `Dashboard on Slow 4G (${(SLOW_4G.downloadThroughput * 8) / 1000} kbit/s down, ${(SLOW_4G.uploadThroughput * 8) / 1000} kbit/s up, ${SLOW_4G.latency} ms latency), ${ownDb ? tasks.toLocaleString('en') + ' tasks' : 'database ' + dbName}, median of ${runs}, ${new Date().toISOString()}`,
      '',
      '| visit | figures shown (interactive) | trend drawn | all charts | requests over the network | transferred | interactive, each run |',
      '|---|---|---|---|---|---|---|',
      row('warm (files cached)', warm),
      row('cold (empty cache)', cold),
      '',
      `Each API call alone, unthrottled, one connection (p50 / p99 / max): ${calls
        .map(
          (c) =>
            `${c.path} ${c.http.p50.toFixed(1)} / ${c.http.p99.toFixed(1)} / ${c.http.max.toFixed(1)} ms`,
        )
        .join(', ')}`,
      '',
    ].join('\n');
    const load = guard.finish();
    const postgres = await withClient(url, async (c) => {
      const { rows } = await c.query<{ v: string }>(`SELECT version() AS v`);
      return rows[0].v.split(' on ')[0];
    });
    const interactive = median(warm.map((t) => t.figures));
    const result: BenchResult = {
      ...startResult(
        'console-dashboard',
        started,
        machine(postgres),
        { database: dbName, reused: !ownDb, tasks: await taskCount(url) },
        { connections: 1, seconds: Number(args.seconds), runs },
      ),
      finishedAt: new Date().toISOString(),
      load,
      scenarios: [
        ...calls.map(({ path, http }) =>
          judge(
            {
              id: `dashboard:${path}`,
              title: `Dashboard call GET ${path}, 1 conn.`,
              connections: 1,
              http: { value: http.p99, unit: 'ms', what: `GET ${path} p99` },
              raw: null,
              goal: {
                text: 'every dashboard call p99 < 100 ms at 1 conn.',
                on: 'http',
                op: '<',
                target: 100,
                loadSensitive: true,
              },
              extra: { httpP50Ms: http.p50, httpMaxMs: http.max, requests: http.ok },
            },
            load,
          ),
        ),
        judge(
          {
            id: 'dashboard-slow4g-warm',
            title: '工作台 on Slow 4G, warm visit: figures shown (interactive), median',
            connections: 1,
            http: { value: interactive, unit: 'ms', what: 'warm visit interactive, median' },
            raw: null,
            goal: {
              text: 'warm visit interactive ≤ 2 s on Slow 4G',
              on: 'http',
              op: '<=',
              target: 2000,
              loadSensitive: true,
            },
            extra: {
              coldInteractiveMs: median(cold.map((t) => t.figures)),
              warmChartsMs: median(warm.map((t) => t.charts)),
              warmKilobytes: median(warm.map((t) => t.kilobytes)),
            },
          },
          load,
        ),
      ],
      details: { slow4g: SLOW_4G, warm, cold, calls },
    };
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(`bench/results/console-${stamp}.json`, `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync('bench/results/console-latest.md', md);
    log('');
    log(md);
    for (const sc of result.scenarios)
      log(
        `${sc.id}: ${sc.http?.value.toFixed(1)} ${sc.http?.unit} — ${sc.goal.text}: ${sc.met === null ? 'not judged' : sc.met ? 'met' : 'NOT met'}${sc.why ? ` (${sc.why})` : ''}`,
      );
  } finally {
    if (api) await stop(api);
    rmSync(storage, { recursive: true, force: true });
    if (ownDb && !args.keep) await dropDatabase(ADMIN_URL, dbName);
    else log(`database ${dbName} kept`);
  }
}

const watchdog = setTimeout(() => {
  console.error('bench:console: over 30 minutes, stopping');
  killStarted();
  process.exit(2);
}, 30 * 60_000);
watchdog.unref();

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error('bench:console failed:', e instanceof Error ? (e.stack ?? e.message) : e);
    killStarted();
    process.exit(1);
  },
);
