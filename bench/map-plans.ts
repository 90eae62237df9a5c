import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import 'reflect-metadata';
import { DataSource, type Logger } from 'typeorm';
import type { Principal } from '../src/common/auth/principal.js';
import { Clock } from '../src/common/clock.js';
import { loadConfig } from '../src/config/app-config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import type { MapGridQuery, MapTasksQuery } from '../src/map/dto/map.query.js';
import { MapReader } from '../src/map/map.reader.js';
import { DeadlineService } from '../src/tasks/deadline/deadline.service.js';
import { TaskReader } from '../src/tasks/task-reader.js';
import { AcknowledgementPolicy } from '../src/tasks/acknowledgement/acknowledgement-policy.js';
import { readLoadBefore } from './load-guard.js';
import { machine, startResult } from './report.js';
import { judge, type BenchResult, type BenchScenario } from './results-schema.js';
import { createMigratedDatabase, dropDatabase, seed, urlOf, withClient } from './seed.js';

/**
 * `npm run bench:map [-- --tasks N | --database NAME] [--keep]`
 *
 * The map's queries at a million tasks: seeds a database as `npm run bench` does (or reuses one
 * given by --database), gives the tasks positions around their sites (one in 16 keeps none and
 * shows at its site's), then runs the real `MapReader` (the same SQL the API sends) for the
 * console's typical requests, timing each and printing Postgres's EXPLAIN (ANALYZE, BUFFERS) of
 * every statement it sent. The report goes to bench/results/<stamp>-map-plans.txt, the figures
 * (MapReader's median against its statements' execution time) to bench/results/<stamp>-map.json.
 */
const { values: args } = parseArgs({
  options: {
    tasks: { type: 'string', default: '1000000' },
    database: { type: 'string' },
    runs: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
    'ignore-load': { type: 'boolean', default: false },
  },
});
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

/** Positions around each task's site (±0.002°); every 16th task keeps none (the site's is used). */
async function givePositions(url: string): Promise<void> {
  await withClient(url, async (c) => {
    const started = Date.now();
    await c.query(`SET synchronous_commit = off`);
    await c.query(`SET maintenance_work_mem = '512MB'`);
    await c.query(`DROP INDEX IF EXISTS ix_tasks_position`);
    await c.query(`DROP INDEX IF EXISTS ix_tasks_open_category_position`);
    await c.query(`SELECT setseed(0.16)`);
    const res = await c.query(`
      UPDATE tasks t SET lat = s.lat + (random() - 0.5) * 0.004, lng = s.lng + (random() - 0.5) * 0.004
        FROM sites s WHERE s.id = t.site_id AND s.lat IS NOT NULL AND right(t.id::text, 1) <> '0'`);
    // The two position indexes exactly as the migrations define them.
    await c.query(
      `CREATE INDEX ix_tasks_position ON tasks USING gist (point(lng, lat)) WHERE lat IS NOT NULL AND lng IS NOT NULL`,
    );
    await c.query(`
      CREATE INDEX ix_tasks_open_category_position ON tasks (category_id, lat, lng)
        WHERE status IN ('pending_dispatch', 'assigned', 'submitted', 'on_hold') AND lat IS NOT NULL`);
    await c.query(`VACUUM (ANALYZE) tasks`);
    log(
      `  positions: ${res.rowCount ?? 0} tasks, indexes rebuilt, analyzed: ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });
}

interface Captured {
  sql: string;
  params: unknown[];
}

/** The map's working budget (not one of issue #15's goals): a console request under 1 s. */
const MAP_BUDGET_MS = 1000;

async function main(): Promise<void> {
  const started = new Date();
  const guard = readLoadBefore(args['ignore-load'], log);
  const scenarios: Omit<BenchScenario, 'ratio' | 'met' | 'why'>[] = [];
  const counted = { tasks: 0 };
  const tasks = Number(args.tasks);
  const runs = Number(args.runs);
  const name = args.database ?? `bench_map_${stamp.replace('-', '_')}`;
  let url = urlOf(ADMIN_URL, name);
  if (!args.database) {
    log(`database ${name}: migrating, seeding ${tasks} tasks`);
    url = await createMigratedDatabase(ADMIN_URL, name);
    await seed(url, tasks, log);
    await givePositions(url);
  }
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
  try {
    const clock = new Clock();
    const deadlines = new DeadlineService(config);
    const map = new MapReader(
      ds,
      config,
      new TaskReader(ds, deadlines, clock, new AcknowledgementPolicy(config)),
      deadlines,
      clock,
    );
    const [{ n: total }] = (await ds.query(`SELECT count(*)::int AS n FROM tasks`)) as {
      n: number;
    }[];
    counted.tasks = total;
    const [unit] = (await ds.query(`SELECT id FROM units ORDER BY code LIMIT 1`)) as {
      id: string;
    }[];
    const admin: Principal = {
      kind: 'user',
      id: '00000000-0000-0000-0000-000000000000',
      role: 'admin',
      unitId: null,
      displayName: 'bench',
    };
    const unitUser: Principal = { ...admin, role: 'unit', unitId: unit.id };
    // The seeded district: sites at 39.90–40.00 N, 116.10–116.18 E.
    const district = '116.09,39.89,116.19,40.01';
    const street = '116.13,39.93,116.14,39.94';
    log(`\n${total} tasks; runs per case: ${runs}; median wall time of MapReader (SQL + features)`);

    const cases: [string, () => Promise<{ size: number }>][] = [
      [
        'GET /map/tasks (first load: no bbox, limit 2000)',
        async () => ({ size: (await map.tasks(admin, {} as MapTasksQuery)).features.length }),
      ],
      [
        `GET /map/tasks?bbox=${street} (a street)`,
        async () => ({
          size: (await map.tasks(admin, { bbox: street } as MapTasksQuery)).features.length,
        }),
      ],
      [
        `GET /map/tasks?bbox=${street}&closedWithinDays=365`,
        async () => ({
          size: (await map.tasks(admin, { bbox: street, closedWithinDays: 365 } as MapTasksQuery))
            .features.length,
        }),
      ],
      [
        `GET /map/tasks?bbox=${district}&overdue=true (as a unit)`,
        async () => ({
          size: (await map.tasks(unitUser, { bbox: district, overdue: true } as MapTasksQuery))
            .features.length,
        }),
      ],
      [
        `GET /map/grid?bbox=${district} (heat map, cell = side / 64)`,
        async () => ({
          size: (await map.grid(admin, { bbox: district } as MapGridQuery)).total,
        }),
      ],
      [
        'GET /map/grid?bbox=73,18,135,54&closedWithinDays=365 (all China, a year of closures)',
        async () => ({
          size: (
            await map.grid(admin, { bbox: '73,18,135,54', closedWithinDays: 365 } as MapGridQuery)
          ).total,
        }),
      ],
      [
        `GET /map/sites?bbox=${district} (as a unit)`,
        async () => ({ size: (await map.sites(unitUser, district)).features.length }),
      ],
    ];

    const plans: string[] = [];
    for (const [label, run] of cases) {
      const times: number[] = [];
      let size = 0;
      await run(); // warm the cache
      for (let i = 0; i < runs; i++) {
        const started = process.hrtime.bigint();
        size = (await run()).size;
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)];
      log(`  ${median.toFixed(1).padStart(8)} ms  ${String(size).padStart(6)} rows  ${label}`);
      captured.length = 0;
      capturing = true;
      await run();
      capturing = false;
      let sqlMs = 0;
      for (const q of captured) {
        const rows = (await ds.query(
          `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${q.sql}`,
          q.params,
        )) as { 'QUERY PLAN': string }[];
        const text = rows.map((r) => r['QUERY PLAN']).join('\n');
        sqlMs += Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1] ?? NaN);
        plans.push(`\n=== ${label}\n${text}`);
      }
      scenarios.push({
        id: `map:${label.split(' (')[0]}`,
        title: label,
        connections: 1,
        http: { value: median, unit: 'ms', what: `MapReader wall time, median of ${runs}` },
        raw: Number.isFinite(sqlMs)
          ? { value: sqlMs, unit: 'ms', what: 'its statements’ execution time (EXPLAIN ANALYZE)' }
          : null,
        goal: {
          text: 'map request < 1 s (the map’s budget)',
          on: 'http',
          op: '<',
          target: MAP_BUDGET_MS,
          loadSensitive: true,
        },
        extra: { rows: size },
      });
    }
    log('\nPlans (EXPLAIN ANALYZE, BUFFERS; the statements MapReader sent):');
    for (const p of plans) log(p);
  } finally {
    await ds.destroy();
    if (!args.database && !args.keep) await dropDatabase(ADMIN_URL, name);
    else log(`\nkept database ${name}`);
  }
  const load = guard.finish();
  const postgres = await withClient(ADMIN_URL, async (c) => {
    const { rows } = await c.query<{ v: string }>(`SELECT version() AS v`);
    return rows[0].v.split(' on ')[0];
  });
  const result: BenchResult = {
    ...startResult(
      'map-plans',
      started,
      machine(postgres),
      { database: name, reused: !!args.database, tasks: counted.tasks },
      { connections: 1, seconds: 0, runs },
    ),
    finishedAt: new Date().toISOString(),
    load,
    scenarios: scenarios.map((sc) => judge(sc, load)),
    details: {},
  };
  mkdirSync('bench/results', { recursive: true });
  const file = join('bench/results', `${stamp}-map-plans.txt`);
  writeFileSync(file, out.join('\n') + '\n');
  const json = join('bench/results', `${stamp}-map.json`);
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwritten ${file}, ${json}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
