import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { LOAD_LIMIT, readLoadBefore } from './load-guard.js';
import { migrateExisting, taskCount } from './reuse.js';
import { dashboard, ledgerExport } from './scenarios-console.js';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { officeYear } from '../src/common/time/office-zone.js';
import { bearer, fmt, type BenchContext, type ScenarioResult } from './context.js';
import { killStarted, memoryOf, startNode, stop, type Server } from './processes.js';
import { machine, markdown, startResult, toBenchScenarios } from './report.js';
import type { BenchResult } from './results-schema.js';
import { digest, submitCheck } from './scenarios-loop.js';
import { createTask, frameworkCost, listTasks } from './scenarios.js';
import { BENCH_PASSWORD, createMigratedDatabase, dropDatabase, seed, urlOf } from './seed.js';

/**
 * `npm run bench [-- --tasks N --seconds S --connections C --keep --only a,b --log-level L]`
 * `npm run bench [-- --database NAME]` (reuse a database made by `npm run bench:seed`)
 *
 * Makes a fresh database `bench_<timestamp>`, migrates and seeds it (or migrates a kept one),
 * starts the built service (APP_ROLE=api) and a bare node:http server on loopback ports, runs the
 * scenarios side by side with their raw anchors (pgbench), writes bench/results/<timestamp>.json
 * (the schema of bench/results-schema.ts) and latest.md, then stops everything and drops the
 * database (unless --keep or --database). Bounded by a watchdog. The load guard
 * (bench/load-guard.ts) reads the machine's load first: above 1.5 no ratio is reported and the
 * timing goals are not judged, unless --ignore-load.
 */

const { values: args } = parseArgs({
  options: {
    tasks: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
    /** Reuse this kept database (e.g. one made by `npm run bench:seed`): not seeded, not dropped. */
    database: { type: 'string' },
    /** Judge ratios and timing goals although the load was above the guard's limit. */
    'ignore-load': { type: 'boolean', default: false },
    only: { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    'max-minutes': { type: 'string', default: '40' },
    /** DATABASE_POOL_SIZE of the service; its own default (10) when not given. */
    pool: { type: 'string' },
    /** NODE_OPTIONS for the service process, e.g. '--max-old-space-size=160'. */
    // The heap cap the Dockerfile runs the service with, so that RSS is measured as deployed.
    'server-node-options': {
      type: 'string',
      default: '--max-old-space-size=192 --max-semi-space-size=16',
    },
  },
});
const tasks = Number(args.tasks);
const seconds = Number(args.seconds);
const connections = Number(args.connections);
if (![tasks, seconds, connections].every((n) => Number.isInteger(n) && n > 0))
  throw new Error('--tasks, --seconds and --connections take positive integers');
const only = args.only?.split(',');
const wanted = (id: string): boolean => !only || only.includes(id);
const poolSize = Number(args.pool ?? 10);

const ADMIN_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@localhost:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const started = new Date();
const stamp = started.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
const dbName = args.database ?? `bench_${stamp.replace('-', '_')}`;
const reused = !!args.database;
const redisPrefix = `bench:${stamp}`;
const log = (line: string): void => console.log(line);

async function login(base: string, username: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { accessToken: string }).accessToken;
}

/**
 * The headers an answer of the service carries beyond what any HTTP server sends (the security
 * headers, Cache-Control, x-request-id), for the bare handler to send the same.
 */
async function answerHeaders(url: string): Promise<Record<string, string>> {
  const r = await fetch(url);
  if (r.status !== 200) throw new Error(`GET ${url}: ${r.status}`);
  await r.arrayBuffer();
  const transport = new Set(['date', 'connection', 'keep-alive', 'content-length', 'content-type']);
  return Object.fromEntries([...r.headers].filter(([name]) => !transport.has(name)));
}

async function clearRedis(): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  const servers: Server[] = [];
  const storage = mkdtempSync(join(tmpdir(), 'cc-bench-storage-'));
  let db: pg.Client | undefined;
  const guard = readLoadBefore(args['ignore-load'], log);
  try {
    let url = urlOf(ADMIN_URL, dbName);
    let seeded: { seconds: number; counts: Record<string, number> } | null = null;
    if (reused) {
      log(
        `bench: reusing database ${dbName}, ${connections} connections, ${seconds} s per measurement`,
      );
      await migrateExisting(url);
    } else {
      log(
        `bench: database ${dbName}, ${tasks.toLocaleString('en')} tasks, ${connections} connections, ${seconds} s per measurement`,
      );
      url = await createMigratedDatabase(ADMIN_URL, dbName);
      const seedStarted = Date.now();
      log('seeding:');
      const counts = await seed(url, tasks, log);
      seeded = { seconds: (Date.now() - seedStarted) / 1000, counts };
      log(`seeded in ${fmt(seeded.seconds)} s`);
    }
    const taskRows = await taskCount(url);

    const api = await startNode(
      'api',
      'dist/bench/serve-api.js',
      {
        NODE_ENV: 'production',
        APP_ROLE: 'api',
        LOG_LEVEL: args['log-level'],
        DATABASE_URL: url,
        DATABASE_CREATE_IF_MISSING: 'false',
        MIGRATIONS_RUN_ON_START: 'false',
        SEED_CATALOG_ON_START: 'false',
        REDIS_URL,
        REDIS_PREFIX: redisPrefix,
        JWT_SECRET: randomBytes(32).toString('hex'),
        JWT_ACCESS_TTL_SECONDS: '7200',
        DATABASE_POOL_SIZE: String(poolSize),
        NODE_OPTIONS: args['server-node-options'],
        STORAGE_ROOT: storage,
        // The load generator is one caller sending thousands of requests a second: the limits
        // stay on (their Redis round trip is part of what is measured) but never refuse it.
        RATE_LIMIT_REQUESTS: '1000000000',
        HEAVY_CONCURRENCY_PER_CALLER: '1000',
        HEAVY_CONCURRENCY_TOTAL: '1000',
      },
      '/health/ready',
    );
    servers.push(api);
    const idleRssMb = memoryOf(api.child.pid as number).rssMb;
    const plain = await startNode('node:http', 'dist/bench/plain-server.js', {}, '/health');
    servers.push(plain);
    // The frameworks alone, with the service's heap settings, and the bare handler sending the
    // headers the service's /health sends (framework scenario only).
    const ceilings = wanted('framework')
      ? {
          plainWithHeaders: await startNode(
            "node:http with the service's answer headers",
            'dist/bench/plain-server.js',
            { ANSWER_HEADERS: JSON.stringify(await answerHeaders(`${api.base}/health`)) },
            '/health',
          ),
          fastify: await startNode(
            'Fastify alone',
            'dist/bench/framework-ceiling-server.js',
            { FRAMEWORK: 'fastify', NODE_OPTIONS: args['server-node-options'] },
            '/health',
          ),
          nest: await startNode(
            'Nest on Fastify alone',
            'dist/bench/framework-ceiling-server.js',
            { FRAMEWORK: 'nest', NODE_OPTIONS: args['server-node-options'] },
            '/health',
          ),
        }
      : undefined;
    if (ceilings) servers.push(ceilings.plainWithHeaders, ceilings.fastify, ceilings.nest);

    db = new pg.Client({ connectionString: url, options: '-c timezone=UTC' });
    await db.connect();
    const {
      rows: [ids],
    } = await db.query(`
      SELECT u.id AS unit, uu.id AS "unitUser", i.id AS inspector, c.id AS category,
             (SELECT s.id FROM sites s WHERE s.default_unit_id = u.id ORDER BY s.name LIMIT 1) AS site,
             version() AS postgres
        FROM units u JOIN users uu ON uu.unit_id = u.id, users i, categories c
       WHERE u.code = 'B01' AND i.username = 'bench-inspector-1' AND c.code = 'BC060'`);
    const {
      rows: [{ exists: outbox }],
    } = await db.query(`SELECT to_regclass('public.outbox') IS NOT NULL AS exists`);
    const ctx: BenchContext = {
      url,
      db,
      api,
      plain,
      ceilings,
      connections,
      seconds,
      year: officeYear(new Date()),
      tokens: {
        admin: await login(api.base, 'bench-admin'),
        inspector: await login(api.base, 'bench-inspector-1'),
        unit: await login(api.base, 'bench-unit-01'),
      },
      ids,
      log,
    };
    // Sanity: the service answers the bench user as expected before anything is measured.
    const me = await fetch(`${api.base}/api/v1/me`, { headers: bearer(ctx.tokens.unit) });
    if (me.status !== 200) throw new Error(`GET /me: ${me.status}`);

    // The reads first, on the data set as seeded: the writes add thousands of tasks in seconds
    // (a month of the office's work), whose pages the visibility map marks only when autovacuum
    // next runs, so counts and lists measured right after them read those rows from the table.
    const plan: [string, () => Promise<ScenarioResult>][] = [
      ['framework', () => frameworkCost(ctx)],
      ['list', () => listTasks(ctx)],
      ['digest', () => digest(ctx)],
      ['dashboard', () => dashboard(ctx)],
      ['create', () => createTask(ctx, outbox)],
      ['submit-check', () => submitCheck(ctx, outbox)],
      // Last: the export's peak RSS is the run's too.
      ['export', () => ledgerExport(ctx)],
    ];
    const scenarios: ScenarioResult[] = [];
    const host = machine(String(ids.postgres).split(' on ')[0]);
    const loadBeforeScenarios = loadavg()[0];
    for (const [id, run] of plan) {
      if (!wanted(id)) continue;
      log(`scenario ${id} …`);
      const result = await run();
      scenarios.push(result);
      for (const m of result.measurements)
        log(
          `  ${m.label}: HTTP ${fmt(m.http?.rps, 0)}/s p50 ${fmt(m.http?.p50)} p99 ${fmt(m.http?.p99)} ms cpu ${fmt(m.http?.cpuPercent, 0)}% | raw ${fmt(m.raw?.tps, 0)}/s p50 ${fmt(m.raw?.p50)} p99 ${fmt(m.raw?.p99)} ms`,
        );
      if (result.ratio)
        log(
          guard.comparable
            ? `  ratio ${fmt(result.ratio.value, 2)}: ${result.ratio.meaning}`
            : `  ratio not reported: the load was above ${LOAD_LIMIT} at the start (figures not comparable)`,
        );
      if (result.skipped) log(`  skipped: ${result.skipped}`);
    }
    const server = {
      idleRssMb,
      peakRssMb: memoryOf(api.child.pid as number).peakMb,
    };
    const load = guard.finish();
    const result: BenchResult = {
      ...startResult(
        'run',
        started,
        host,
        { database: dbName, reused, tasks: taskRows },
        {
          connections,
          seconds,
          logLevel: args['log-level'],
          poolSize,
          serverNodeOptions: args['server-node-options'],
          only: only?.join(',') ?? 'all',
        },
      ),
      finishedAt: new Date().toISOString(),
      load,
      scenarios: toBenchScenarios(scenarios, connections, server, load),
      // The detail keeps each measurement; on a busy machine without its ratio (the guard's rule).
      details: {
        seed: seeded,
        server,
        loadBeforeScenarios,
        scenarios: load.comparable ? scenarios : scenarios.map(({ ratio: _, ...rest }) => rest),
      },
    };
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(`bench/results/${stamp}.json`, `${JSON.stringify(result, null, 2)}\n`);
    const md = markdown(result, scenarios);
    writeFileSync('bench/results/latest.md', md);
    log('');
    log(md);
    log(`written: bench/results/${stamp}.json, bench/results/latest.md`);
  } finally {
    await db?.end();
    for (const s of servers) await stop(s);
    await clearRedis().catch((e: unknown) => console.error('redis cleanup:', e));
    rmSync(storage, { recursive: true, force: true });
    if (args.keep || reused) log(`kept database ${dbName}`);
    else await dropDatabase(ADMIN_URL, dbName);
  }
}

const watchdog = setTimeout(
  () => {
    console.error(`bench: over ${args['max-minutes']} minutes, stopping`);
    killStarted();
    process.exit(2);
  },
  Number(args['max-minutes']) * 60_000,
);
watchdog.unref();

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error('bench failed:', e instanceof Error ? (e.stack ?? e.message) : e);
    killStarted();
    process.exit(1);
  },
);
