import type { RequestSpec } from 'autocannon';
import { bearer, type BenchContext, type ScenarioResult } from './context.js';
import { hammer } from './load.js';
import { compileOnly } from '../src/database/kysely.js';
import { digestSql } from '../src/reports/digest/digest.reader.js';
import { raisedSql } from '../src/reports/digest/digest-source.reader.js';
import { pgbench } from './pgbench.js';

/** Tasks to submit and check: far more than a run can use, so the pool never runs dry. */
const POOL = 30_000;

/**
 * Adds `n` assigned tasks of the bench unit (category BC060: on-site check, no after-photo) with
 * their create events, numbered on from the year's counter. Returns their ids.
 */
async function assignedPool(ctx: BenchContext, n: number): Promise<string[]> {
  const { db, ids, year } = ctx;
  await db.query('BEGIN');
  try {
    const { rows } = await db.query<{ id: string }>(
      `WITH c AS (
         UPDATE task_number_counters SET last_value = last_value + $6 WHERE year = $1 RETURNING last_value - $6 AS first
       )
       INSERT INTO tasks (number, category_id, site_id, address, description, unit_id, status, assigned_at, deadline,
                          created_by, created_at, updated_at)
       SELECT 'ZG-' || $1 || '-' || lpad((c.first + g)::text, 6, '0'), $2, $3, '基准路1号', '待整改' || g, $4,
              'assigned', now(), now() + interval '7 days', $5, now(), now()
         FROM c, generate_series(1, $6::int) g
       RETURNING id`,
      [year, ids.category, ids.site, ids.unit, ids.inspector, n],
    );
    await db.query(
      `INSERT INTO task_events (task_id, action, from_status, to_status, actor_kind, actor_id, actor_name, actor_role, data)
       SELECT unnest($1::uuid[]), 'create', NULL, 'assigned', 'user', $2, '督导员1', 'inspector', '{}'`,
      [rows.map((r) => r.id), ids.inspector],
    );
    await db.query('COMMIT');
    return rows.map((r) => r.id);
  } catch (e) {
    await db.query('ROLLBACK');
    throw e;
  }
}

/**
 * Deletes the pool's tasks no request reached (still assigned, their create event only), so a
 * run leaves the database as it found it but for the work it measured: the pools add 60,000
 * open tasks, more than the seed's 41,000, which every later count of open work (the
 * dashboard's, the next run's on a reused database) would read.
 */
async function dropUnusedPool(ctx: BenchContext, ids: string[]): Promise<number> {
  const { db } = ctx;
  await db.query('BEGIN');
  try {
    const { rows } = await db.query<{ id: string }>(
      `SELECT t.id FROM tasks t
        WHERE t.id = ANY($1::uuid[]) AND t.status = 'assigned' AND t.version = 1
          AND NOT EXISTS (SELECT 1 FROM task_submissions s WHERE s.task_id = t.id)
        FOR UPDATE`,
      [ids],
    );
    const unused = rows.map((r) => r.id);
    // task_events is append-only (a trigger refuses DELETE); these events are the bench's own,
    // written by `assignedPool` and never read by the service. Replica mode skips the triggers
    // for this transaction only (the bench connects as a superuser), foreign keys included:
    // nothing refers to these tasks — only the bench knows their ids, and no request reached
    // them (that would have raised their version).
    await db.query(`SET LOCAL session_replication_role = replica`);
    await db.query(`DELETE FROM task_events WHERE task_id = ANY($1::uuid[])`, [unused]);
    await db.query(`DELETE FROM tasks WHERE id = ANY($1::uuid[])`, [unused]);
    await db.query('COMMIT');
    return unused.length;
  } catch (e) {
    await db.query('ROLLBACK');
    throw e;
  }
}

/** Submit then check (pass), the writes the service makes for each, as one pgbench script. */
function submitCheckScript(ctx: BenchContext, outbox: boolean): string {
  const { unitUser, inspector } = ctx.ids;
  const box = outbox
    ? `INSERT INTO outbox (topic, payload) VALUES ('task-event', jsonb_build_object('eventId', :eid::text, 'taskId', :tid::text));`
    : '';
  return `SELECT task_id AS tid FROM bench_submit_pool WHERE n = (SELECT nextval('bench_submit_seq')) \\gset
BEGIN;
SELECT t.id, t.status, t.version, EXISTS (SELECT 1 FROM extension_requests x WHERE x.task_id = t.id AND x.status = 'pending') AS ext, EXISTS (SELECT 1 FROM task_disputes d WHERE d.task_id = t.id AND d.status = 'pending') AS dis FROM tasks t WHERE t.id = :tid FOR UPDATE OF t;
SELECT coalesce(max(round), 0) + 1 AS round FROM task_submissions WHERE task_id = :tid \\gset
UPDATE tasks SET status = 'submitted', version = version + 1, updated_at = now() WHERE id = :tid;
INSERT INTO task_events (task_id, action, from_status, to_status, actor_kind, actor_id, actor_name, actor_role, note, data, attachment_ids) VALUES (:tid, 'submit', 'assigned', 'submitted', 'user', '${unitUser}', '联络员', 'unit', '已整改', jsonb_build_object('round', :round::int, 'policy', 'on_site'), '{}') RETURNING id AS eid \\gset
${box}
INSERT INTO task_submissions (task_id, round, description, event_id, created_at) VALUES (:tid, :round, '已整改', :eid, now());
UPDATE extension_requests SET status = 'refused' WHERE task_id = :tid AND status = 'pending';
UPDATE task_disputes SET status = 'rejected' WHERE task_id = :tid AND status = 'pending';
COMMIT;
BEGIN;
SELECT t.id, t.status, t.version FROM tasks t WHERE t.id = :tid FOR UPDATE OF t;
SELECT id AS sid, created_at FROM task_submissions WHERE task_id = :tid ORDER BY round DESC LIMIT 1 \\gset
UPDATE tasks SET status = 'closed', closed_at = now(), closed_on_time = true, closed_unverified = false, version = version + 1, updated_at = now() WHERE id = :tid;
INSERT INTO task_events (task_id, action, from_status, to_status, actor_kind, actor_id, actor_name, actor_role, note, data, attachment_ids) VALUES (:tid, 'check_pass', 'submitted', 'closed', 'user', '${inspector}', '督导员1', 'inspector', NULL, jsonb_build_object('result', 'pass'), '{}') RETURNING id AS eid \\gset
${box}
INSERT INTO task_checks (task_id, submission_id, result, note, event_id, created_at) VALUES (:tid, :sid, 'pass', NULL, :eid, now());
UPDATE extension_requests SET status = 'refused' WHERE task_id = :tid AND status = 'pending';
UPDATE task_disputes SET status = 'rejected' WHERE task_id = :tid AND status = 'pending';
COMMIT;
`;
}

/** (3) The unit submits, the inspector checks (pass): pairs of transitions per second. */
export async function submitCheck(ctx: BenchContext, outbox: boolean): Promise<ScenarioResult> {
  const httpPool = await assignedPool(ctx, POOL);
  const unit = bearer(ctx.tokens.unit);
  const inspector = bearer(ctx.tokens.inspector);
  const requests: RequestSpec[] = [
    {
      method: 'POST',
      setupRequest: (req, context) => {
        const id = httpPool.pop() ?? '00000000-0000-4000-8000-000000000000';
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
  const load = {
    base: ctx.api.base,
    pid: ctx.api.child.pid as number,
    connections: ctx.connections,
    requests,
  };
  await hammer({ ...load, seconds: 2 });
  const http = await hammer({ ...load, seconds: ctx.seconds });

  const rawPool = await assignedPool(ctx, POOL);
  // A reused database (--database) may hold the last run's pool.
  await ctx.db.query(`DROP TABLE IF EXISTS bench_submit_pool`);
  await ctx.db.query(`DROP SEQUENCE IF EXISTS bench_submit_seq`);
  await ctx.db.query(
    `CREATE TABLE bench_submit_pool (n bigint PRIMARY KEY, task_id uuid NOT NULL)`,
  );
  await ctx.db.query(`CREATE SEQUENCE bench_submit_seq`);
  await ctx.db.query(
    `INSERT INTO bench_submit_pool SELECT row_number() OVER (), id FROM unnest($1::uuid[]) id`,
    [rawPool],
  );
  await ctx.db.query('ANALYZE bench_submit_pool');
  const script = { name: 'submit-check', sql: submitCheckScript(ctx, outbox) };
  await pgbench({ url: ctx.url, scripts: [script], clients: ctx.connections, seconds: 2 });
  const raw = await pgbench({
    url: ctx.url,
    scripts: [script],
    clients: ctx.connections,
    seconds: ctx.seconds,
  });
  const pairs = { ...http, rps: http.rps / 2 };
  const dropped = await dropUnusedPool(ctx, [...httpPool, ...rawPool]);
  ctx.log(`  submit-check: ${dropped} unused pool tasks deleted`);
  return {
    id: 'submit-check',
    title: 'Submit → check (pass): pairs per second vs their writes in pgbench',
    measurements: [{ label: 'submit + check', connections: ctx.connections, http: pairs, raw }],
    ratio: { value: pairs.rps / raw.tps, meaning: 'HTTP pairs/s ÷ pgbench pairs/s' },
    notes: [
      'HTTP: one connection submits as the unit, then checks as an inspector; latencies are per request. pgbench: the lock, the version read, the writes and the lapse of pending requests of both transitions; the service also re-reads the task and its category and answers the detail (about 6 more queries per transition).',
    ],
  };
}

/** The Monday (Asia/Shanghai) of the last full week, and its Sunday. */
export function lastFullWeek(now = new Date()): { from: string; to: string } {
  const shanghai = new Date(now.getTime() + 8 * 3_600_000);
  const dow = (shanghai.getUTCDay() + 6) % 7; // Monday = 0
  const monday = new Date(
    Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate() - dow - 7),
  );
  const sunday = new Date(monday.getTime() + 6 * 86_400_000);
  return { from: monday.toISOString().slice(0, 10), to: sunday.toISOString().slice(0, 10) };
}

/**
 * The earlier raw anchor of the digest (kept for comparison with older result files): its main
 * aggregate as it was when the goal was set, written out for this bench — one pass over the tasks
 * a week can count, grouped by unit, by category and overall, without the figures added since
 * (照片存疑, 在办, 督办/通报, the 来源 weights and rows).
 */
function simplifiedDigestSql(from: string, to: string): string {
  const s = `(date '${from}' - interval '8 hours')::timestamptz`;
  const e = `(date '${to}' + interval '16 hours')::timestamptz`;
  return `SELECT t.unit_id, t.category_id,
       count(*) FILTER (WHERE t.status <> 'cancelled' AND t.assigned_at >= ${s} AND t.assigned_at < ${e}) AS received,
       count(*) FILTER (WHERE t.status = 'closed' AND t.closed_at >= ${s} AND t.closed_at < ${e}) AS closed,
       count(*) FILTER (WHERE t.status = 'closed' AND t.closed_at >= ${s} AND t.closed_at < ${e} AND t.closed_on_time) AS on_time,
       count(*) FILTER (WHERE t.status <> 'on_hold' AND (t.closed_at IS NULL OR t.closed_at >= ${e}) AND (t.cancelled_at IS NULL OR t.cancelled_at >= ${e}) AND t.deadline < ${e}) AS open_overdue,
       count(*) FILTER (WHERE t.status <> 'cancelled' AND t.deadline >= ${s} AND t.deadline < ${e}) AS due,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.closed_at - t.created_at) / 3600)
         FILTER (WHERE t.status = 'closed' AND t.closed_at >= ${s} AND t.closed_at < ${e}) AS median_hours
  FROM tasks t
 WHERE t.unit_id IS NOT NULL
   AND ((t.assigned_at < ${e} AND (t.closed_at IS NULL OR t.closed_at >= ${s}) AND (t.cancelled_at IS NULL OR t.cancelled_at >= ${s}))
        OR (t.deadline >= ${s} AND t.deadline < ${e}))
 GROUP BY GROUPING SETS ((t.unit_id), (t.category_id), ());
`;
}

/** A bound value as a SQL literal (pgbench runs the statements with their values written in). */
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (v instanceof Date) return `'${v.toISOString()}'::timestamptz`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (Array.isArray(v)) return v.length ? `ARRAY[${v.map(literal).join(', ')}]` : `'{}'`;
  throw new Error(`no literal for ${typeof v}`);
}

function inlined(q: { sql: string; parameters: readonly unknown[] }): string {
  return q.sql.replace(/\$(\d+)/g, (_m, n: string) => literal(q.parameters[Number(n) - 1]));
}

/**
 * The raw anchor of the digest: the aggregate statements the service sends for the period — the
 * main aggregate (digest.reader.ts, with the 来源 weights and rows) and the 新增 counts
 * (digest-source.reader.ts) — compiled from the service's own code, with the period, thresholds
 * and weights the service answered with (`probe`).
 */
function digestAggregateSql(probe: DigestProbe): string {
  const s = new Date(probe.periodStart);
  const e = new Date(probe.periodEnd);
  const main = digestSql(s, e, probe.rules.superviseAfterHours, probe.rules.notifyAfterHours, {
    codes: probe.sources.map((x) => x.source),
    weights: probe.sources.map((x) => x.weight),
  }).compile(compileOnly);
  const raised = raisedSql(s, e).compile(compileOnly);
  return `${inlined(main)};\n${inlined(raised)};\n`;
}

interface DigestProbe {
  periodStart: string;
  periodEnd: string;
  rules: { superviseAfterHours: number; notifyAfterHours: number };
  sources: { source: string; weight: number }[];
}

/** (5) The weekly digest over the full data set vs its raw aggregate SQL. */
export async function digest(ctx: BenchContext): Promise<ScenarioResult> {
  const title = 'Weekly digest (GET /reports/digest) vs its aggregate SQL';
  const { from, to } = lastFullWeek();
  const path = `/api/v1/reports/digest?from=${from}&to=${to}`;
  const headers = bearer(ctx.tokens.admin);
  const probe = await fetch(`${ctx.api.base}${path}`, { headers });
  const seconds = Math.max(5, Math.ceil(ctx.seconds / 2));
  const earlier = await pgbench({
    url: ctx.url,
    scripts: [{ name: 'digest-simplified', sql: simplifiedDigestSql(from, to) }],
    clients: 1,
    seconds,
  });
  if (probe.status !== 200) {
    return {
      id: 'digest',
      title,
      measurements: [{ label: 'the earlier simplified aggregate', connections: 1, raw: earlier }],
      skipped: `GET ${path} answered ${probe.status}`,
      notes: [],
    };
  }
  const answer = (await probe.json()) as DigestProbe;
  const raw = await pgbench({
    url: ctx.url,
    scripts: [{ name: 'digest', sql: digestAggregateSql(answer) }],
    clients: 1,
    seconds,
  });
  const http = await hammer({
    base: ctx.api.base,
    pid: ctx.api.child.pid as number,
    connections: 1,
    seconds: seconds * 4,
    amount: 10,
    path,
    headers,
  });
  return {
    id: 'digest',
    title,
    measurements: [
      { label: `digest ${from}…${to}`, connections: 1, http, raw },
      {
        label: 'the earlier simplified aggregate (the anchor before 20261201)',
        connections: 1,
        raw: earlier,
      },
    ],
    ratio: { value: http.p50 / raw.p50, meaning: 'HTTP p50 ÷ SQL p50' },
    notes: [
      `HTTP: 10 requests, one at a time (max is the slowest). SQL: the aggregate statements the service sends (the main aggregate with 照片存疑 and 来源, and the 新增 counts), compiled from its own code with the period, thresholds and weights it answered with, one after the other in pgbench; the service also reads 反弹, coverage, 签收, 信息采用, units and categories, ranks and serialises. The earlier, simplified anchor (the main aggregate without the figures added since): p50 ${earlier.p50.toFixed(1)} ms.`,
    ],
  };
}
