import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RequestSpec } from 'autocannon';
import pg from 'pg';
import { officeYear } from '../src/common/time/office-zone.js';
import { bearer } from './context.js';
import { hammer } from './load.js';
import { killStarted, startNode, type Server } from './processes.js';
import { BENCH_PASSWORD, createMigratedDatabase, dropDatabase, seed } from './seed.js';

/**
 * `npm run bench:profile [-- --tasks N --seconds S --connections C --only me,health,list,create,submit-check]`
 *
 * CPU profiles of the service under load (issue 15): for each scenario a fresh service process
 * runs with `--cpu-prof`, autocannon loads it, and the profile (`bench/results/profile-<scenario>.cpuprofile`,
 * for Chrome DevTools or speedscope) is summarised as self time by function and by module
 * (`bench/results/profile-<stamp>.md`). Scenarios: `me` (GET /api/v1/me, the trivial
 * authenticated route), `health` (anonymous GET /health), `create` (POST /tasks), `submit-check`
 * (a unit submits, an inspector checks: pass). Same database set-up as `npm run bench`.
 */
const { values: args } = parseArgs({
  options: {
    tasks: { type: 'string', default: '50000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    only: { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
  },
});
const ADMIN_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@localhost:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
const dbName = `bench_prof_${stamp.replace('-', '_')}`;
const seconds = Number(args.seconds);
const connections = Number(args.connections);

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Where a frame's code lives: a package, a folder of ours, Node itself, or V8's pseudo-frames. */
function moduleOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const ours = /\/dist\/(src\/[^/]+(?:\/[^/.]+(?=\/))?)/.exec(url);
  if (ours) return ours[1];
  if (url.startsWith('node:'))
    return url.split('/')[0].replace(/^node:internal.*/, 'node:internal');
  return url;
}

/** Self time by function and by module, as Markdown. */
function summarise(name: string, file: string, requests: number): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: Node[];
    startTime: number;
    endTime: number;
    samples: number[];
  };
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const hits = profile.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0);
  const msPerHit = totalMs / Math.max(1, hits);
  const byFn = new Map<string, number>();
  const byModule = new Map<string, number>();
  for (const n of profile.nodes) {
    const { functionName, url, lineNumber } = n.callFrame;
    const ms = (n.hitCount ?? 0) * msPerHit;
    const mod = moduleOf(url, functionName);
    const fnKey = `${functionName || '(anonymous)'} — ${mod}${url ? `:${lineNumber + 1}` : ''}`;
    byFn.set(fnKey, (byFn.get(fnKey) ?? 0) + ms);
    byModule.set(mod, (byModule.get(mod) ?? 0) + ms);
  }
  const idle = byModule.get('(idle)') ?? 0;
  const busy = totalMs - idle;
  const top = (m: Map<string, number>, n: number): string =>
    [...m]
      .filter(([k]) => !k.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([k, ms]) =>
          `| ${k} | ${((ms / busy) * 100).toFixed(1)} % | ${((ms * 1000) / Math.max(1, requests)).toFixed(1)} µs |`,
      )
      .join('\n');
  return `## ${name}

${requests} requests in ${(totalMs / 1000).toFixed(1)} s of profile; busy ${((busy / totalMs) * 100).toFixed(0)} % of it (the rest idle: waiting on the database, Redis or the network); ${((busy * 1000) / Math.max(1, requests)).toFixed(0)} µs of CPU per request.

| module | share of busy time | per request |
|---|---|---|
${top(byModule, 15)}

| function (self time) | share of busy time | per request |
|---|---|---|
${top(byFn, 25)}
`;
}

async function login(base: string, username: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status}`);
  return ((await r.json()) as { accessToken: string }).accessToken;
}

async function main(): Promise<void> {
  const storage = mkdtempSync(join(tmpdir(), 'cc-prof-storage-'));
  const profDir = mkdtempSync(join(tmpdir(), 'cc-prof-'));
  mkdirSync('bench/results', { recursive: true });
  const url = await createMigratedDatabase(ADMIN_URL, dbName);
  const db = new pg.Client({ connectionString: url, options: '-c timezone=UTC' });
  const sections: string[] = [];
  try {
    await seed(url, Number(args.tasks), () => undefined);
    await db.connect();
    const {
      rows: [ids],
    } = await db.query<{ unit: string; inspector: string; category: string; site: string }>(`
      SELECT u.id AS unit, i.id AS inspector, c.id AS category,
             (SELECT s.id FROM sites s WHERE s.default_unit_id = u.id ORDER BY s.name LIMIT 1) AS site
        FROM units u, users i, categories c
       WHERE u.code = 'B01' AND i.username = 'bench-inspector-1' AND c.code = 'BC060'`);
    const year = officeYear(new Date());
    const env = {
      NODE_ENV: 'production',
      APP_ROLE: 'api',
      LOG_LEVEL: args['log-level'],
      DATABASE_URL: url,
      DATABASE_CREATE_IF_MISSING: 'false',
      MIGRATIONS_RUN_ON_START: 'false',
      SEED_CATALOG_ON_START: 'false',
      REDIS_URL,
      REDIS_PREFIX: `benchprof:${stamp}`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      JWT_ACCESS_TTL_SECONDS: '7200',
      STORAGE_ROOT: storage,
      RATE_LIMIT_REQUESTS: '1000000000',
      HEAVY_CONCURRENCY_PER_CALLER: '1000',
      HEAVY_CONCURRENCY_TOTAL: '1000',
    };
    const scenarios = ['me', 'health', 'list', 'create', 'submit-check'].filter(
      (s) => !args.only || args.only.split(',').includes(s),
    );
    for (const scenario of scenarios) {
      const file = join(profDir, `${scenario}.cpuprofile`);
      const api: Server = await startNode(
        'api',
        'dist/bench/profile-serve.js',
        {
          ...env,
          NODE_OPTIONS: '--max-old-space-size=192 --max-semi-space-size=16',
          PROFILE_FILE: file,
        },
        '/health/ready',
      );
      const load = { base: api.base, pid: api.child.pid as number, connections };
      const unit = bearer(await login(api.base, 'bench-unit-01'));
      const inspector = bearer(await login(api.base, 'bench-inspector-1'));
      const admin = bearer(await login(api.base, 'bench-admin'));
      const profileStart = (): void => void api.child.kill('SIGWINCH');
      let result;
      if (scenario === 'me' || scenario === 'health') {
        const path = scenario === 'me' ? '/api/v1/me' : '/health';
        await hammer({ ...load, seconds: 2, path, headers: unit });
        profileStart();
        result = await hammer({ ...load, seconds, path, headers: unit });
      } else if (scenario === 'list') {
        // The office's first page of every task: 51 rows read, 50 answered.
        const spec = { ...load, path: '/api/v1/tasks?limit=50', headers: admin };
        await hammer({ ...spec, seconds: 2 });
        profileStart();
        result = await hammer({ ...spec, seconds });
      } else if (scenario === 'create') {
        const body = JSON.stringify({
          categoryId: ids.category,
          siteId: ids.site,
          description: '基准压测',
        });
        const spec = { ...load, method: 'POST', path: '/api/v1/tasks', headers: inspector, body };
        await hammer({ ...spec, seconds: 2 });
        profileStart();
        result = await hammer({ ...spec, seconds });
      } else {
        const { rows } = await db.query<{ id: string }>(
          `WITH c AS (UPDATE task_number_counters SET last_value = last_value + 20000 WHERE year = $1 RETURNING last_value - 20000 AS first)
           INSERT INTO tasks (number, category_id, site_id, address, description, unit_id, status, assigned_at, deadline, created_by, created_at, updated_at)
           SELECT 'ZG-' || $1 || '-' || lpad((c.first + g)::text, 6, '0'), $2, $3, '基准路1号', '待整改' || g, $4, 'assigned', now(), now() + interval '7 days', $5, now(), now()
             FROM c, generate_series(1, 20000) g RETURNING id`,
          [year, ids.category, ids.site, ids.unit, ids.inspector],
        );
        const pool = rows.map((r) => r.id);
        const requests: RequestSpec[] = [
          {
            method: 'POST',
            setupRequest: (req, context) => {
              const id = pool.pop() ?? '00000000-0000-4000-8000-000000000000';
              context.id = id;
              return {
                ...req,
                path: `/api/v1/tasks/${id}/submissions`,
                headers: unit,
                body: JSON.stringify({ version: 1, description: '已整改' }),
              };
            },
          },
          {
            method: 'POST',
            setupRequest: (req, context) => ({
              ...req,
              path: `/api/v1/tasks/${String(context.id)}/checks`,
              headers: inspector,
              body: JSON.stringify({ version: 2, result: 'pass' }),
            }),
          },
        ];
        await hammer({ ...load, seconds: 2, requests });
        profileStart();
        result = await hammer({ ...load, seconds, requests });
      }
      // Ending it on purpose: not the "exited" complaint processes.ts prints for a crash.
      api.child.removeAllListeners('exit');
      const exited = new Promise((r) => api.child.once('exit', r));
      api.child.kill('SIGWINCH');
      await exited;
      const kept = `bench/results/profile-${scenario}.cpuprofile`;
      writeFileSync(kept, readFileSync(file));
      console.log(
        `${scenario}: ${result.rps.toFixed(0)}/s (p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}), server CPU ${result.cpuPercent.toFixed(0)} %`,
      );
      const profiled = result.ok + result.non2xx;
      sections.push(
        `${summarise(`${scenario}: ${result.rps.toFixed(0)}/s, server CPU ${result.cpuPercent.toFixed(0)} %`, kept, profiled)}`,
      );
    }
    const out = `bench/results/profile-${stamp}.md`;
    writeFileSync(out, `# CPU profiles (${stamp})\n\n${sections.join('\n')}`);
    console.log(`written: ${out}`);
  } finally {
    await db.end().catch(() => undefined);
    rmSync(storage, { recursive: true, force: true });
    rmSync(profDir, { recursive: true, force: true });
    await dropDatabase(ADMIN_URL, dbName);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error('profile failed:', e instanceof Error ? (e.stack ?? e.message) : e);
    killStarted();
    process.exit(1);
  },
);
