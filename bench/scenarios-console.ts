import { bearer, fmt, type BenchContext, type ScenarioResult } from './context.js';
import { percentile, type HttpResult } from './load.js';
import { cpuSecondsOf, sampleRss } from './processes.js';
import { lastFullWeek } from '../src/reports/shanghai-time.js';

/**
 * The API calls the console's 工作台 makes when it opens (web/src/views/DashboardView.vue: the
 * figures, the 12-week trend and the last full week's stored digest; the layout's bell: the
 * unread notifications). `label` is the stable id in the results; `path` the request.
 */
export function dashboardCalls(now = new Date()): { label: string; path: string }[] {
  return [
    { label: '/tasks/counts/dashboard', path: '/tasks/counts/dashboard' },
    { label: '/tasks/counts/weekly?weeks=12', path: '/tasks/counts/weekly?weeks=12' },
    {
      label: '/reports/digests/:weekStart',
      path: `/reports/digests/${lastFullWeek(now).from}`,
    },
    { label: '/notifications?unread=true&limit=20', path: '/notifications?unread=true&limit=20' },
  ];
}

/**
 * Stores the last full week's digest unless it is (the service stores it on Monday 06:00; a
 * bench database seeded since has not run that schedule): `POST /reports/digests/:weekStart`,
 * 201 stored now, 200 stored already. The dashboard then reads it rather than computing it.
 */
export async function ensureStoredWeek(
  base: string,
  token: string,
  now = new Date(),
): Promise<{ weekStart: string; status: number }> {
  const weekStart = lastFullWeek(now).from;
  const r = await fetch(`${base}/api/v1/reports/digests/${weekStart}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  await r.arrayBuffer();
  if (r.status !== 200 && r.status !== 201)
    throw new Error(`POST /reports/digests/${weekStart}: ${r.status}`);
  return { weekStart, status: r.status };
}

/**
 * GET `path` one request at a time (one connection, as a clerk's browser sends a call) until
 * `amount` requests or `seconds` have passed, whichever comes first: latencies of the 2xx answers.
 */
async function oneAtATime(
  server: { base: string; pid: number },
  path: string,
  headers: Record<string, string>,
  seconds: number,
  amount: number,
): Promise<HttpResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const stopRss = sampleRss(server.pid);
  const cpuBefore = cpuSecondsOf(server.pid);
  const started = performance.now();
  let errors = 0;
  while (latencies.length < amount && performance.now() - started < seconds * 1000) {
    const t0 = performance.now();
    try {
      const r = await fetch(`${server.base}${path}`, { headers });
      await r.arrayBuffer();
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.ok) latencies.push(performance.now() - t0);
    } catch {
      errors++;
    }
  }
  const wall = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const ok = latencies.length;
  return {
    rps: ok / wall,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[ok - 1] ?? NaN,
    ok,
    non2xx: Object.entries(statuses)
      .filter(([s]) => !s.startsWith('2'))
      .reduce((n, [, c]) => n + c, 0),
    errors,
    statuses,
    rssMb: stopRss(),
    cpuPercent: ((cpuSecondsOf(server.pid) - cpuBefore) / wall) * 100,
  };
}

/**
 * Each dashboard call alone at one connection, after 5 warm-up requests, until `amount`
 * requests or `seconds`: p50 / p99 / max of the 2xx answers. The last full week is stored first
 * (as the dashboard finds it from Monday 06:00), so its digest call is the stored read.
 */
export async function dashboardCallTimes(
  server: { base: string; pid: number },
  token: string,
  seconds: number,
  amount = 200,
): Promise<{ path: string; http: HttpResult }[]> {
  const out: { path: string; http: HttpResult }[] = [];
  const headers = { authorization: `Bearer ${token}` };
  await ensureStoredWeek(server.base, token);
  for (const { label, path } of dashboardCalls()) {
    const full = `/api/v1${path}`;
    const probe = await fetch(`${server.base}${full}`, { headers });
    if (probe.status !== 200) throw new Error(`GET ${full}: ${probe.status}`);
    await probe.arrayBuffer();
    await oneAtATime(server, full, headers, seconds, 5);
    out.push({ path: label, http: await oneAtATime(server, full, headers, seconds, amount) });
  }
  return out;
}

/** (7) The dashboard's calls at the full data set, one connection each. */
export async function dashboard(ctx: BenchContext): Promise<ScenarioResult> {
  const calls = await dashboardCallTimes(
    { base: ctx.api.base, pid: ctx.api.child.pid as number },
    ctx.tokens.admin,
    ctx.seconds,
  );
  return {
    id: 'dashboard',
    title: "The console's dashboard API calls, 1 connection, as the office",
    measurements: calls.map(({ path, http }) => ({ label: path, connections: 1, http })),
    notes: [
      `Each call alone, one request at a time, 200 requests or ${ctx.seconds} s, after 5 warm-up requests: ${calls
        .map(
          (c) =>
            `${c.path} p50 ${fmt(c.http.p50)} / p99 ${fmt(c.http.p99)} ms (${c.http.ok} requests)`,
        )
        .join('; ')}.`,
    ],
  };
}

export interface ExportFigures {
  format: 'csv' | 'xlsx';
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  /** Time to the first byte of the file (the first batch read and the headers sent). */
  firstByteMs: number;
  /** Highest VmRSS of the server sampled every 100 ms during the download. */
  peakRssMb: number;
  rssBeforeMb: number;
}

/**
 * Downloads the whole 整改台账 (GET /tasks/export) as the office — every task — reading the
 * stream as it comes, while the server's RSS is sampled. `rows` is the database's count of
 * tasks (for CSV checked against the file's lines).
 */
export async function downloadLedger(
  ctx: BenchContext,
  format: 'csv' | 'xlsx',
): Promise<ExportFigures> {
  const pid = ctx.api.child.pid as number;
  const {
    rows: [{ n: rows }],
  } = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tasks`);
  const stopRss = sampleRss(pid);
  const rssBeforeMb = stopRss();
  const stopPeak = sampleRss(pid);
  const started = performance.now();
  // As a browser asks for it: the csv comes gzipped as it streams (fetch unpacks it; `bytes`
  // below counts the file, not the wire); the xlsx is a zip already and comes as it is.
  const r = await fetch(`${ctx.api.base}/api/v1/tasks/export?format=${format}`, {
    headers: { ...bearer(ctx.tokens.admin), 'accept-encoding': 'gzip, deflate' },
  });
  if (r.status !== 200 || !r.body) {
    stopPeak();
    throw new Error(`GET /tasks/export?format=${format}: ${r.status} ${await r.text()}`);
  }
  let firstByteMs = NaN;
  let bytes = 0;
  let newlines = 0;
  for await (const chunk of r.body as AsyncIterable<Uint8Array>) {
    if (!bytes) firstByteMs = performance.now() - started;
    bytes += chunk.byteLength;
    if (format === 'csv') for (const b of chunk) if (b === 10) newlines++;
  }
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb = stopPeak();
  // CSV: a header line, then one CRLF-ended line per task (the seed's texts have no newlines).
  if (format === 'csv' && newlines - 1 !== rows)
    throw new Error(`the CSV has ${newlines - 1} rows, the database ${rows} tasks`);
  return {
    format,
    rows,
    bytes,
    seconds,
    rowsPerSecond: rows / seconds,
    firstByteMs,
    peakRssMb,
    rssBeforeMb,
  };
}

/** (5) The ledger export of every task, CSV then xlsx: rows/s and the server's RSS. */
export async function ledgerExport(ctx: BenchContext): Promise<ScenarioResult> {
  const figures: ExportFigures[] = [];
  for (const format of ['csv', 'xlsx'] as const) {
    ctx.log(`  export ${format} …`);
    const f = await downloadLedger(ctx, format);
    ctx.log(
      `  export ${format}: ${f.rows.toLocaleString('en')} rows in ${fmt(f.seconds)} s = ${fmt(f.rowsPerSecond, 0)} rows/s, ${fmt(f.bytes / 2 ** 20)} MB, first byte ${fmt(f.firstByteMs, 0)} ms, server RSS ${fmt(f.rssBeforeMb, 0)} → peak ${fmt(f.peakRssMb, 0)} MB`,
    );
    figures.push(f);
  }
  return {
    id: 'export',
    title: '整改台账 export of every task (GET /tasks/export), 1 connection',
    measurements: [],
    exports: figures,
    notes: figures.map(
      (f) =>
        `${f.format}: ${f.rows.toLocaleString('en')} rows, ${fmt(f.bytes / 2 ** 20)} MB in ${fmt(f.seconds)} s (${fmt(f.rowsPerSecond, 0)} rows/s; first byte after ${fmt(f.firstByteMs, 0)} ms); server RSS ${fmt(f.rssBeforeMb, 0)} MB before, peak ${fmt(f.peakRssMb, 0)} MB during (VmRSS every 100 ms).`,
    ),
  };
}
