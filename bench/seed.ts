import pg from 'pg';
import { DataSource } from 'typeorm';
import { hashPassword } from '../src/auth/passwords.js';
import { loadConfig } from '../src/config/app-config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { quoteIdent } from '../src/database/database-url.js';
import { runMigrationsLocked } from '../src/database/migrate.js';

/** The password of every bench user (the database is thrown away after the run). */
export const BENCH_PASSWORD = 'bench-password-0123';

/** A type, not an interface: it must fit `Record<string, number>` in the report. */
export type SeedCounts = {
  units: number;
  categories: number;
  sites: number;
  inspections: number;
  tasks: number;
  taskEvents: number;
  submissions: number;
  checks: number;
};

export function urlOf(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, options: '-c timezone=UTC' });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** A fresh database with every migration applied, exactly as the service would have it. */
export async function createMigratedDatabase(adminUrl: string, name: string): Promise<string> {
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const url = urlOf(adminUrl, name);
  const config = loadConfig({ DATABASE_URL: url, NODE_ENV: 'test' });
  const ds = new DataSource(dataSourceOptions(config, 2));
  await ds.initialize();
  try {
    await runMigrationsLocked(ds, config.database.migrationsLockKey);
  } finally {
    await ds.destroy();
  }
  return url;
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (c) =>
    c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
  );
}

/** Tables whose secondary indexes are dropped during the load and built once afterwards. */
const BULK_TABLES = [
  'tasks',
  'task_events',
  'task_submissions',
  'task_checks',
  'inspections',
  'inspection_units',
];

/**
 * Fills a migrated database: 20 units, 60 categories, 2,000 sites, 50,000 inspections and
 * `tasks` tasks over the last three years with their events, submissions and checks. Old work
 * is mostly closed (some late), recent work mostly open, and a share of open work overdue.
 * Everything is `INSERT … SELECT generate_series` in one session with foreign-key triggers off
 * (the rows are consistent by construction) and indexes built after the load. Deterministic:
 * `setseed` fixes Postgres's random().
 */
export async function seed(
  url: string,
  tasks: number,
  log: (line: string) => void,
): Promise<SeedCounts> {
  const hash = await hashPassword(BENCH_PASSWORD);
  return withClient(url, async (c) => {
    const step = async (what: string, sql: string, params: unknown[] = []): Promise<void> => {
      const started = Date.now();
      const res = await c.query(sql, params);
      log(`  ${what}: ${res.rowCount ?? 0} rows, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    };
    await c.query(`SET synchronous_commit = off`);
    await c.query(`SET session_replication_role = replica`);
    await c.query(`SET maintenance_work_mem = '1GB'`);
    await c.query(`SET work_mem = '256MB'`);
    await c.query(`SELECT setseed(0.42)`);

    const { rows: indexes } = await c.query<{ indexname: string; indexdef: string }>(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`,
      [BULK_TABLES],
    );
    for (const i of indexes) await c.query(`DROP INDEX ${quoteIdent(i.indexname)}`);

    await step(
      'units',
      `INSERT INTO units (code, name, kind, sort_order)
       SELECT 'B' || lpad(i::text, 2, '0'), '基准单位' || lpad(i::text, 2, '0'),
              (ARRAY['street', 'town', 'bureau'])[1 + i % 3], i
         FROM generate_series(1, 20) i`,
    );
    await step(
      'users',
      `INSERT INTO users (username, display_name, role, unit_id, password_hash)
       SELECT 'bench-admin', '基准管理员', 'admin', NULL::uuid, $1
       UNION ALL SELECT 'bench-inspector-' || i, '督导员' || i, 'inspector', NULL::uuid, $1 FROM generate_series(1, 5) i
       UNION ALL SELECT 'bench-unit-' || substr(code, 2), name || '联络员', 'unit', id, $1 FROM units`,
      [hash],
    );
    // BC060 is the one the submit → check scenario uses: on-site check, no after-photo needed.
    await step(
      'categories',
      `INSERT INTO categories (code, name, group_name, measure_word, deadline_rule, verification_policy,
                               spot_check_ratio, requires_after_photo, sort_order)
       SELECT 'BC' || lpad(i::text, 3, '0'), '基准类别' || i,
              (ARRAY['市容环境', '公共秩序', '宣传广告', '交通秩序', '公共设施', '窗口服务'])[1 + i % 6],
              (ARRAY['处', '起', '个', '条'])[1 + i % 4],
              (ARRAY['{"kind":"work_days","days":3}', '{"kind":"work_days","days":5}',
                     '{"kind":"work_hours","hours":16}', '{"kind":"immediate"}',
                     '{"kind":"work_days","days":10}'])[1 + i % 5]::jsonb,
              CASE WHEN i = 60 THEN 'on_site' WHEN i % 10 = 0 THEN 'spot_check'
                   WHEN i % 15 = 0 THEN 'self_close' ELSE 'on_site' END,
              CASE WHEN i % 10 = 0 AND i <> 60 THEN 0.3 END,
              i <> 60, i
         FROM generate_series(1, 60) i`,
    );
    await c.query(
      `CREATE TEMP TABLE u_idx AS SELECT row_number() OVER (ORDER BY code) - 1 AS k, id FROM units`,
    );
    await step(
      'sites',
      `INSERT INTO sites (name, kind, address, default_unit_id, lat, lng)
       SELECT '基准点位' || lpad(i::text, 4, '0'),
              (ARRAY['社区', '公园广场', '主次干道', '农贸市场', '背街小巷'])[1 + i % 5],
              '基准路' || i || '号', CASE WHEN i % 25 = 0 THEN NULL ELSE u.id END,
              39.9 + (i % 100) / 1000.0, 116.1 + (i % 77) / 1000.0
         FROM generate_series(1, 2000) i JOIN u_idx u ON u.k = i % 20`,
    );
    await c.query(`
      CREATE TEMP TABLE c_idx AS
      SELECT row_number() OVER (ORDER BY code) - 1 AS k, id, verification_policy,
             CASE deadline_rule->>'kind'
               WHEN 'work_days' THEN (deadline_rule->>'days')::int * interval '1 day' * 1.4
               WHEN 'work_hours' THEN (deadline_rule->>'hours')::int * interval '1 hour' * 3
               ELSE interval '24 hours' END AS allowed
        FROM categories`);
    await c.query(
      `CREATE TEMP TABLE s_idx AS SELECT row_number() OVER (ORDER BY name) - 1 AS k, id, address, default_unit_id FROM sites`,
    );
    await c.query(
      `CREATE TEMP TABLE i_idx AS SELECT row_number() OVER (ORDER BY username) - 1 AS k, id FROM users WHERE role = 'inspector'`,
    );
    await step(
      'inspections',
      `INSERT INTO inspections (kind, activity, lead_persons, held_on, location, created_by, created_at, updated_at)
       SELECT CASE WHEN g % 10 = 0 THEN 'meeting' ELSE 'inspection' END, '基准督导检查' || g, ARRAY['王建华'],
              (x.at AT TIME ZONE 'Asia/Shanghai')::date, '基准地点' || (g % 100), i.id, x.at, x.at
         FROM generate_series(1, 50000) g
        CROSS JOIN LATERAL (SELECT now() - interval '1095 days' + (g / 50000.0) * interval '1094 days' AS at) x
         JOIN i_idx i ON i.k = g % 5`,
    );
    await c.query(
      `CREATE TEMP TABLE insp_idx AS SELECT row_number() OVER (ORDER BY created_at, id) - 1 AS k, id FROM inspections`,
    );
    await step(
      'inspection_units',
      `INSERT INTO inspection_units (inspection_id, unit_id, position)
       SELECT i.id, u.id, 1 FROM insp_idx i JOIN u_idx u ON u.k = i.k % 20`,
    );

    // Recent work is mostly open; older work mostly closed, with a few still open (overdue).
    await step(
      'tasks',
      `WITH base AS (
         SELECT g, now() - interval '1095 days' + (g::float8 / $1) * interval '1094 days 23 hours' AS created,
                random() AS p, random() AS q, random() AS r, floor(random() * 2000)::int AS site_k,
                floor(random() * 60)::int AS cat_k
           FROM generate_series(1, $1::int) g
       ), shaped AS (
         SELECT b.*, extract(year FROM b.created AT TIME ZONE 'Asia/Shanghai')::int AS yr,
                CASE WHEN b.created > now() - interval '30 days' THEN
                       CASE WHEN p < 0.35 THEN 'assigned' WHEN p < 0.50 THEN 'submitted'
                            WHEN p < 0.53 THEN 'pending_dispatch' WHEN p < 0.55 THEN 'on_hold'
                            WHEN p < 0.57 THEN 'cancelled' ELSE 'closed' END
                     ELSE
                       CASE WHEN p < 0.015 THEN 'assigned' WHEN p < 0.02 THEN 'submitted'
                            WHEN p < 0.025 THEN 'on_hold' WHEN p < 0.05 THEN 'cancelled'
                            WHEN p < 0.052 THEN 'pending_dispatch' ELSE 'closed' END
                END AS status
           FROM base b
       ), timed AS (
         SELECT s.*, c.id AS category_id, c.verification_policy, st.id AS site_id, st.address,
                coalesce(st.default_unit_id, u.id) AS unit, ins.id AS inspection_id, i.id AS creator,
                s.created + c.allowed AS due,
                least(s.created + c.allowed * (0.2 + s.r), now() - interval '1 minute') AS finished
           FROM shaped s
           JOIN c_idx c ON c.k = s.cat_k
           JOIN s_idx st ON st.k = s.site_k
           JOIN u_idx u ON u.k = s.g % 20
           JOIN i_idx i ON i.k = s.g % 5
           LEFT JOIN insp_idx ins ON s.q < 0.6 AND ins.k = floor(s.g::float8 / $1 * 49999)::int
       )
       INSERT INTO tasks (number, inspection_id, category_id, site_id, address, description, unit_id, status,
                          assigned_at, deadline, assessed_deadline, closed_at, closed_on_time, closed_unverified, cancelled_at,
                          hold_reason, hold_review_on, created_by, found_at, created_at, updated_at, version)
       SELECT 'ZG-' || yr || '-' || lpad(row_number() OVER (PARTITION BY yr ORDER BY g)::text, 6, '0'),
              inspection_id, category_id, site_id, address, '基准问题' || g || '：楼道堆物、乱贴乱画', 
              CASE WHEN status = 'pending_dispatch' THEN NULL ELSE unit END, status,
              CASE WHEN status = 'pending_dispatch' THEN NULL ELSE created END,
              CASE WHEN status = 'pending_dispatch' THEN NULL ELSE due END,
              CASE WHEN status = 'pending_dispatch' THEN NULL ELSE due END,
              CASE WHEN status = 'closed' THEN finished END,
              CASE WHEN status = 'closed' THEN finished <= due END,
              CASE WHEN status = 'closed' THEN verification_policy = 'self_close' END,
              CASE WHEN status = 'cancelled' THEN finished END,
              CASE WHEN status = 'on_hold' THEN '涉及工程改造' END,
              CASE WHEN status = 'on_hold' THEN (created + interval '30 days')::date END,
              creator, created, created,
              CASE WHEN status IN ('closed', 'cancelled') THEN finished ELSE created END,
              CASE status WHEN 'closed' THEN CASE WHEN verification_policy = 'self_close' THEN 2 ELSE 3 END
                          WHEN 'assigned' THEN 1 WHEN 'pending_dispatch' THEN 1 ELSE 2 END
         FROM timed`,
      [tasks],
    );
    // The trail: ids follow time per task (create, then submit, then check / cancel / hold).
    await step(
      'events: create',
      `INSERT INTO task_events (task_id, action, from_status, to_status, actor_kind, actor_id, actor_name, actor_role, data, created_at)
       SELECT id, 'create', NULL, CASE WHEN status = 'pending_dispatch' THEN 'pending_dispatch' ELSE 'assigned' END,
              'user', created_by, '督导员', 'inspector',
              jsonb_build_object('number', number, 'unitId', unit_id, 'routed', CASE WHEN unit_id IS NULL THEN 'none' ELSE 'site' END),
              created_at
         FROM tasks`,
    );
    await step(
      'events: submit',
      `INSERT INTO task_events (task_id, action, from_status, to_status, actor_kind, actor_id, actor_name, actor_role, note, data, created_at)
       SELECT t.id, 'submit', 'assigned', CASE WHEN t.closed_unverified THEN 'closed' ELSE 'submitted' END, 'user', u.id, u.display_name, 'unit', '已整改',
              jsonb_build_object('round', 1, 'closedWithoutCheck', coalesce(t.closed_unverified, false)),
              coalesce(t.closed_at - interval '2 hours', least(t.created_at + interval '1 day', now()))
         FROM tasks t JOIN users u ON u.unit_id = t.unit_id
        WHERE t.status = 'submitted' OR t.status = 'closed'`,
    );
    await step(
      'events: check, cancel, hold',
      `INSERT INTO task_events (task_id, action, from_status, to_status, actor_kind, actor_id, actor_name, actor_role, data, created_at)
       SELECT id, CASE status WHEN 'closed' THEN 'check_pass' WHEN 'cancelled' THEN 'cancel' ELSE 'hold' END,
              CASE status WHEN 'closed' THEN 'submitted' ELSE 'assigned' END, status, 'user', created_by, '督导员', 'inspector',
              '{}', coalesce(closed_at, cancelled_at, least(created_at + interval '1 day', now()))
         FROM tasks
        WHERE (status = 'closed' AND NOT closed_unverified) OR status IN ('cancelled', 'on_hold')`,
    );
    await step(
      'submissions',
      `INSERT INTO task_submissions (task_id, round, description, event_id, created_at)
       SELECT task_id, 1, '已整改', id, created_at FROM task_events WHERE action = 'submit'`,
    );
    await step(
      'checks',
      `INSERT INTO task_checks (task_id, submission_id, result, event_id, created_at)
       SELECT e.task_id, s.id, 'pass', e.id, e.created_at
         FROM task_events e JOIN task_submissions s ON s.task_id = e.task_id WHERE e.action = 'check_pass'`,
    );
    await step(
      'number counters',
      `INSERT INTO task_number_counters (year, last_value)
       SELECT split_part(number, '-', 2)::int, max(split_part(number, '-', 3)::int) FROM tasks GROUP BY 1`,
    );
    await c.query(`SET session_replication_role = DEFAULT`);
    const started = Date.now();
    for (const i of indexes) await c.query(i.indexdef);
    log(`  ${indexes.length} indexes built: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const vacuumed = Date.now();
    await c.query(
      `VACUUM (ANALYZE) ${BULK_TABLES.join(', ')}, units, users, categories, sites, task_number_counters`,
    );
    log(`  vacuum analyze: ${((Date.now() - vacuumed) / 1000).toFixed(1)} s`);

    const { rows } = await c.query<SeedCounts>(`SELECT
      (SELECT count(*)::int FROM units) AS units, (SELECT count(*)::int FROM categories) AS categories,
      (SELECT count(*)::int FROM sites) AS sites, (SELECT count(*)::int FROM inspections) AS inspections,
      (SELECT count(*)::int FROM tasks) AS tasks, (SELECT count(*)::int FROM task_events) AS "taskEvents",
      (SELECT count(*)::int FROM task_submissions) AS submissions, (SELECT count(*)::int FROM task_checks) AS checks`);
    return rows[0];
  });
}
