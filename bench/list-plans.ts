import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import 'reflect-metadata';
import { DataSource, type Logger } from 'typeorm';
import type { Principal } from '../src/common/auth/principal.js';
import { Clock } from '../src/common/clock.js';
import { loadConfig } from '../src/config/app-config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { AcknowledgementPolicy } from '../src/tasks/acknowledgement/acknowledgement-policy.js';
import { DeadlineService } from '../src/tasks/deadline/deadline.service.js';
import type { ListTasksQuery } from '../src/tasks/dto/list-tasks.query.js';
import { TaskCountsReader } from '../src/tasks/task-counts.reader.js';
import { LedgerReader } from '../src/tasks/ledger/ledger.reader.js';
import { TaskReader } from '../src/tasks/task-reader.js';
import { readLoadBefore } from './load-guard.js';
import { machine, startResult } from './report.js';
import { judge, type BenchResult, type BenchScenario } from './results-schema.js';
import { urlOf, withClient } from './seed.js';

/**
 * `npm run bench:plans -- --database NAME [--runs R]`
 *
 * The task list's and the dashboard counts' queries at full size, through the real readers
 * (`TaskReader.list`, `TaskCountsReader`: the SQL the API sends, with its bound values): the
 * median wall time of each of the bench's list requests (as `npm run bench` sends them) and
 * Postgres's EXPLAIN (ANALYZE, BUFFERS) of every statement. Needs a database made by
 * `npm run bench:seed`. Writes bench/results/<stamp>-list-plans.txt and <stamp>-list.json.
 */
const { values: args } = parseArgs({
  options: {
    database: { type: 'string' },
    runs: { type: 'string', default: '7' },
    'ignore-load': { type: 'boolean', default: false },
  },
});
if (!args.database) throw new Error('--database NAME (made by npm run bench:seed)');
const ADMIN_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@localhost:5432/postgres';
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
const out: string[] = [];
const log = (line: string): void => {
  console.log(line);
  out.push(line);
};

interface Captured {
  sql: string;
  params: unknown[];
}

async function main(database: string): Promise<void> {
  const started = new Date();
  const guard = readLoadBefore(args['ignore-load'], log);
  const runs = Number(args.runs);
  const url = urlOf(ADMIN_URL, database);
  const config = loadConfig({ DATABASE_URL: url, NODE_ENV: 'test' });
  const captured: Captured[] = [];
  let capturing = false;
  const logger: Logger = {
    logQuery: (sql, params) => {
      if (capturing) captured.push({ sql, params: (params as unknown[] | undefined) ?? [] });
    },
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
  const ds = new DataSource({
    ...dataSourceOptions(config, 2),
    logging: ['query'],
    logger,
  });
  await ds.initialize();
  const scenarios: Omit<BenchScenario, 'ratio' | 'met' | 'why'>[] = [];
  const counted = { tasks: 0 };
  try {
    const clock = new Clock();
    const reader = new TaskReader(
      ds,
      new DeadlineService(config),
      clock,
      new AcknowledgementPolicy(config),
    );
    const counts = new TaskCountsReader(ds, reader, clock);
    const ledger = new LedgerReader(ds, reader);
    [{ n: counted.tasks }] = (await ds.query(`SELECT count(*)::int AS n FROM tasks`)) as {
      n: number;
    }[];
    const [ids] = (await ds.query(`
      SELECT u.id AS unit, c.id AS category,
             (SELECT s.id FROM sites s WHERE s.default_unit_id = u.id ORDER BY s.name LIMIT 1) AS site
        FROM units u, categories c
       WHERE u.code = 'B01' AND c.code = 'BC060'`)) as {
      unit: string;
      category: string;
      site: string;
    }[];
    const admin: Principal = {
      kind: 'user',
      id: '00000000-0000-0000-0000-000000000000',
      role: 'admin',
      unitId: null,
      displayName: 'bench',
    };
    const unit: Principal = { ...admin, role: 'unit', unitId: ids.unit };
    // The list requests of `npm run bench` (bench/scenarios.ts listVariants), page 2 by cursor.
    const page2 = async (p: Principal, q: ListTasksQuery): Promise<ListTasksQuery> => {
      const first = await reader.list(p, q);
      if (!first.nextCursor) throw new Error(`no second page for ${JSON.stringify(q)}`);
      return { ...q, cursor: first.nextCursor };
    };
    const cases: [string, () => Promise<unknown>][] = [
      [
        'GET /tasks?limit=50 (all, page 2)',
        async () => reader.list(admin, await page2(admin, { limit: 50 })),
      ],
      [
        'GET /tasks?status=assigned,submitted&unitId=… (page 2)',
        async () =>
          reader.list(
            admin,
            await page2(admin, { limit: 50, status: ['assigned', 'submitted'], unitId: ids.unit }),
          ),
      ],
      [
        'GET /tasks?overdue=true (as a unit)',
        () => reader.list(unit, { limit: 50, overdue: true }),
      ],
      [
        'GET /tasks?categoryId=…&createdFrom=2025-06-01 (page 2)',
        async () =>
          reader.list(
            admin,
            await page2(admin, {
              limit: 50,
              categoryId: ids.category,
              createdFrom: '2025-06-01T00:00:00.000Z',
            }),
          ),
      ],
      ['GET /tasks?q=基准问题12345', () => reader.list(admin, { limit: 50, q: '基准问题12345' })],
      [
        'GET /tasks?sort=deadline (page 1)',
        () => reader.list(admin, { limit: 50, sort: 'deadline' }),
      ],
      // What the dashboard's figures drill through to (the office sees every unit).
      [
        'GET /tasks?overdue=true (the office)',
        () => reader.list(admin, { limit: 50, overdue: true }),
      ],
      [
        'GET /tasks?escalation=supervise (the office)',
        () => reader.list(admin, { limit: 50, escalation: 'supervise' }),
      ],
      [
        'GET /tasks?status=assigned (the office, page 2)',
        async () => reader.list(admin, await page2(admin, { limit: 50, status: ['assigned'] })),
      ],
      [
        'GET /tasks?status=submitted&siteId=… (the office)',
        () => reader.list(admin, { limit: 50, status: ['submitted'], siteId: ids.site }),
      ],
      [
        // The export reads keyset batches of 1,000 by number: its first, of every task.
        'GET /tasks/export: the first batch of 1,000 rows',
        async () => {
          let n = 0;
          for await (const _ of ledger.stream(admin, {}, new Date())) {
            if (++n === 1000) break;
          }
        },
      ],
      ['GET /tasks/counts/dashboard', () => counts.dashboard(admin)],
      ['GET /tasks/counts/weekly?weeks=12', () => counts.weekly(admin, 12)],
    ];
    log(
      `\n${counted.tasks} tasks in ${database}; median wall time of ${runs} runs (reader: SQL + mapping)`,
    );
    const plans: string[] = [];
    for (const [label, run] of cases) {
      await run(); // warm the cache
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = process.hrtime.bigint();
        await run();
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)];
      log(
        `  ${median.toFixed(1).padStart(8)} ms (max ${times[times.length - 1].toFixed(1)})  ${label}`,
      );
      captured.length = 0;
      capturing = true;
      await run();
      capturing = false;
      // For a paged case the first statement fetched page 1 (for its cursor): explain them all.
      let sqlMs = 0;
      for (const q of captured) {
        const rows = (await ds.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.params)) as {
          'QUERY PLAN': string;
        }[];
        const text = rows.map((r) => r['QUERY PLAN']).join('\n');
        sqlMs += Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1] ?? NaN);
        plans.push(`\n=== ${label}\n${q.sql}\n-- ${JSON.stringify(q.params)}\n${text}`);
      }
      const dashboard = label.startsWith('GET /tasks/counts');
      const batch = label.startsWith('GET /tasks/export');
      scenarios.push({
        id: `plans:${label}`,
        title: `${label}: the reader's wall time vs its statements' execution time`,
        connections: 1,
        http: { value: median, unit: 'ms', what: `reader wall time, median of ${runs}` },
        raw: Number.isFinite(sqlMs)
          ? { value: sqlMs, unit: 'ms', what: 'its statements’ execution time (EXPLAIN ANALYZE)' }
          : null,
        goal: batch
          ? {
              text: 'a 1,000-row batch < 100 ms (10,000 rows/s from the database; a budget set here, not an issue goal)',
              on: 'http',
              op: '<',
              target: 100,
              loadSensitive: true,
            }
          : dashboard
            ? {
                text: 'dashboard call < 100 ms',
                on: 'http',
                op: '<',
                target: 100,
                loadSensitive: true,
              }
            : {
                text: 'list request < 20 ms (the 1-conn. p99 goal, as a median here)',
                on: 'http',
                op: '<',
                target: 20,
                loadSensitive: true,
              },
        extra: { maxMs: times[times.length - 1], statements: captured.length },
      });
    }
    log('\nPlans (EXPLAIN ANALYZE, BUFFERS; the statements the readers sent):');
    for (const p of plans) log(p);
  } finally {
    await ds.destroy();
  }
  const load = guard.finish();
  const postgres = await withClient(ADMIN_URL, async (c) => {
    const { rows } = await c.query<{ v: string }>(`SELECT version() AS v`);
    return rows[0].v.split(' on ')[0];
  });
  const result: BenchResult = {
    ...startResult(
      'list-plans',
      started,
      machine(postgres),
      { database, reused: true, tasks: counted.tasks },
      { connections: 1, seconds: 0, runs },
    ),
    finishedAt: new Date().toISOString(),
    load,
    scenarios: scenarios.map((s) => judge(s, load)),
    details: {},
  };
  mkdirSync('bench/results', { recursive: true });
  const file = join('bench/results', `${stamp}-list-plans.txt`);
  writeFileSync(file, `${out.join('\n')}\n`);
  const json = join('bench/results', `${stamp}-list.json`);
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwritten ${file}, ${json}`);
}

main(args.database).then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
