import type { Principal } from '../src/common/auth/principal.js';
import { decodeCursor, microsUtc } from '../src/common/http/pagination.js';
import { SqlWhere } from '../src/database/sql-where.js';
import { DEFAULT_ESCALATION_THRESHOLDS } from '../src/tasks/deadline/traffic-light.js';
import type { TaskFilterQuery } from '../src/tasks/dto/list-tasks.query.js';
import { applyTaskFilters, scopeToPrincipal } from '../src/tasks/task-filter.js';
import { compileTaskPage } from '../src/tasks/data/task-views.repository.js';
import {
  bearer,
  fmt,
  FRAMEWORK_CASES,
  measurementOf,
  type BenchContext,
  type Measurement,
  type ScenarioResult,
} from './context.js';
import { hammer } from './load.js';
import { inline, pgbench } from './pgbench.js';

const WARMUP_SECONDS = 2;

/**
 * (4) Framework cost: a bare node:http handler (also once sending the headers the service's
 * /health sends: what those cost without a framework), Fastify alone and Nest on Fastify alone
 * (one route each: what the frameworks themselves cost here), the service's anonymous GET /health and its
 * trivial authenticated route GET /me (the token checked, the caller read, the rate limit
 * counted), same load.
 */
export async function frameworkCost(ctx: BenchContext): Promise<ScenarioResult> {
  const measurements: Measurement[] = [];
  type Case = [string, BenchContext['api'], string, Record<string, string> | undefined];
  const ceilings: Case[] = ctx.ceilings
    ? [
        [FRAMEWORK_CASES.plainWithHeaders, ctx.ceilings.plainWithHeaders, '/health', undefined],
        [FRAMEWORK_CASES.fastify, ctx.ceilings.fastify, '/health', undefined],
        [FRAMEWORK_CASES.nest, ctx.ceilings.nest, '/health', undefined],
      ]
    : [];
  const cases: Case[] = [
    [FRAMEWORK_CASES.plain, ctx.plain, '/health', undefined],
    ...ceilings,
    [FRAMEWORK_CASES.health, ctx.api, '/health', undefined],
    [FRAMEWORK_CASES.me, ctx.api, '/api/v1/me', bearer(ctx.tokens.unit)],
  ];
  for (const [label, server, path, headers] of cases) {
    const load = {
      base: server.base,
      pid: server.child.pid as number,
      connections: ctx.connections,
      path,
      headers,
    };
    await hammer({ ...load, seconds: WARMUP_SECONDS });
    measurements.push({
      label,
      connections: ctx.connections,
      http: await hammer({ ...load, seconds: ctx.seconds }),
    });
  }
  const rps = (label: string): number => measurementOf(measurements, label)?.http?.rps ?? NaN;
  const nestAlone = rps(FRAMEWORK_CASES.nest);
  const withHeaders = rps(FRAMEWORK_CASES.plainWithHeaders);
  return {
    id: 'framework',
    title: 'Framework cost: GET /health and GET /me vs a bare node:http handler',
    measurements,
    ratio: {
      value: rps(FRAMEWORK_CASES.health) / rps(FRAMEWORK_CASES.plain),
      meaning: 'Nest+Fastify throughput / node:http throughput',
    },
    notes: Number.isFinite(nestAlone)
      ? [
          `Nest on Fastify alone (one route, nothing of ours) serves ${fmt(nestAlone / rps(FRAMEWORK_CASES.plain), 2)}× node:http here; ` +
            `the service's /health ${fmt(rps(FRAMEWORK_CASES.health) / nestAlone, 2)}× and /me ${fmt(rps(FRAMEWORK_CASES.me) / nestAlone, 2)}× of that.`,
          `node:http sending the headers the service's /health sends (security headers, Cache-Control, x-request-id) serves ${fmt(withHeaders / rps(FRAMEWORK_CASES.plain), 2)}× node:http without them; ` +
            `the service's /health ${fmt(rps(FRAMEWORK_CASES.health) / withHeaders, 2)}× of that.`,
        ]
      : [],
  };
}

/**
 * Samples the service's sessions in pg_stat_activity every 200 ms until stopped: how many wait
 * on a lock, sit idle inside a transaction (waiting on the service), or run a statement.
 */
function sampleSessions(
  ctx: BenchContext,
): () => Promise<{ lock: number; idleInTransaction: number; active: number }> {
  const samples: { lock: number; idle_tx: number; active: number }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await ctx.db.query<{ lock: number; idle_tx: number; active: number }>(
        `SELECT count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS lock,
                count(*) FILTER (WHERE state = 'idle in transaction')::int AS idle_tx,
                count(*) FILTER (WHERE state = 'active' AND wait_event_type IS DISTINCT FROM 'Lock')::int AS active
           FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE 'chuangcheng%'`,
      );
      samples.push(rows[0]);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return async () => {
    running = false;
    await loop;
    const mean = (k: 'lock' | 'idle_tx' | 'active'): number =>
      samples.reduce((n, x) => n + x[k], 0) / Math.max(1, samples.length);
    return { lock: mean('lock'), idleInTransaction: mean('idle_tx'), active: mean('active') };
  };
}

/** The writes of one create, as the service does them: number, task, event, outbox. */
function createScript(ctx: BenchContext, outbox: boolean): string {
  const { category, site, unit, inspector } = ctx.ids;
  return `BEGIN;
INSERT INTO task_number_counters (year, last_value) VALUES (${ctx.year}, 1) ON CONFLICT (year) DO UPDATE SET last_value = task_number_counters.last_value + 1 RETURNING last_value AS seq \\gset
INSERT INTO tasks (number, category_id, site_id, address, description, unit_id, status, assigned_at, deadline, deadline_overridden, created_by, created_at, updated_at) VALUES ('ZG-${ctx.year}-' || lpad(:seq::text, 6, '0'), '${category}', '${site}', '基准路1号', '基准压测', '${unit}', 'assigned', now(), now() + interval '3 days', false, '${inspector}', now(), now()) RETURNING id AS tid \\gset
INSERT INTO task_events (task_id, action, from_status, to_status, actor_kind, actor_id, actor_name, actor_role, note, data, attachment_ids) VALUES (:tid, 'create', NULL, 'assigned', 'user', '${inspector}', '督导员1', 'inspector', NULL, jsonb_build_object('number', 'ZG-${ctx.year}-' || lpad(:seq::text, 6, '0'), 'unitId', '${unit}', 'routed', 'site'), '{}') RETURNING id AS eid \\gset
${outbox ? `INSERT INTO outbox (topic, payload) VALUES ('task-event', jsonb_build_object('eventId', :eid::text, 'taskId', :tid::text));` : ''}
COMMIT;
`;
}

/** (1) Creating a task over HTTP vs the same writes as a pgbench script, same concurrency. */
export async function createTask(ctx: BenchContext, outbox: boolean): Promise<ScenarioResult> {
  const load = {
    base: ctx.api.base,
    pid: ctx.api.child.pid as number,
    connections: ctx.connections,
    method: 'POST',
    path: '/api/v1/tasks',
    headers: bearer(ctx.tokens.inspector),
    body: JSON.stringify({
      categoryId: ctx.ids.category,
      siteId: ctx.ids.site,
      description: '基准压测',
    }),
  };
  await hammer({ ...load, seconds: WARMUP_SECONDS });
  const stopSampling = sampleSessions(ctx);
  const http = await hammer({ ...load, seconds: ctx.seconds });
  const sessions = await stopSampling();
  const script = { name: 'create', sql: createScript(ctx, outbox) };
  await pgbench({
    url: ctx.url,
    scripts: [script],
    clients: ctx.connections,
    seconds: WARMUP_SECONDS,
  });
  const raw = await pgbench({
    url: ctx.url,
    scripts: [script],
    clients: ctx.connections,
    seconds: ctx.seconds,
  });
  return {
    id: 'create',
    title: 'Create task: POST /tasks vs its writes in pgbench',
    measurements: [{ label: 'create', connections: ctx.connections, http, raw }],
    ratio: { value: http.rps / raw.tps, meaning: 'HTTP creates/s ÷ pgbench transactions/s' },
    notes: [
      `pgbench runs the writes of a create (number counter, task, event${outbox ? ', outbox' : ''}) in one transaction; the service also reads the category, the site and the created task back (4 more queries), validates and serialises.`,
      `While the HTTP creates ran, the service's database sessions were on average: ${fmt(sessions.lock, 1)} waiting on a lock, ${fmt(sessions.idleInTransaction, 1)} idle in transaction (waiting on the service), ${fmt(sessions.active, 1)} running a statement.`,
    ],
  };
}

interface ListVariant {
  name: string;
  query: string;
  filter: TaskFilterQuery;
  as: 'admin' | 'unit';
  /** Ask for the second page (with the cursor of the first). */
  page2: boolean;
}

/** The list requests: the filters offices and units use, some on page 2 (cursor). */
function listVariants(ctx: BenchContext): ListVariant[] {
  return [
    { name: 'all, page 2', query: 'limit=50', filter: {}, as: 'admin', page2: true },
    {
      name: 'unit + status, page 2',
      query: `limit=50&status=assigned,submitted&unitId=${ctx.ids.unit}`,
      filter: { status: ['assigned', 'submitted'], unitId: ctx.ids.unit },
      as: 'admin',
      page2: true,
    },
    {
      name: 'unit user: overdue',
      query: 'limit=50&overdue=true',
      filter: { overdue: true },
      as: 'unit',
      page2: false,
    },
    {
      name: 'category + since, page 2',
      query: `limit=50&categoryId=${ctx.ids.category}&createdFrom=2025-06-01T00:00:00.000Z`,
      filter: { categoryId: ctx.ids.category, createdFrom: '2025-06-01T00:00:00.000Z' },
      as: 'admin',
      page2: true,
    },
    {
      name: 'text search',
      query: `limit=50&q=${encodeURIComponent('基准问题12345')}`,
      filter: { q: '基准问题12345' },
      as: 'admin',
      page2: false,
    },
  ];
}

/**
 * (2) GET /tasks at full size vs the same SQL in pgbench: the SQL is built by the service's own
 * code (compileTaskPage, scopeToPrincipal, applyTaskFilters) with the same values inlined.
 */
export async function listTasks(ctx: BenchContext): Promise<ScenarioResult> {
  const admin: Principal = {
    kind: 'user',
    id: ctx.ids.inspector,
    role: 'admin',
    unitId: null,
    displayName: 'a',
  };
  const unit: Principal = {
    kind: 'user',
    id: ctx.ids.unitUser,
    role: 'unit',
    unitId: ctx.ids.unit,
    displayName: 'u',
  };
  const requests: { path: string; headers: Record<string, string> }[] = [];
  const scripts: { name: string; sql: string }[] = [];
  const now = new Date();
  for (const [i, v] of listVariants(ctx).entries()) {
    const headers = bearer(v.as === 'admin' ? ctx.tokens.admin : ctx.tokens.unit);
    let path = `/api/v1/tasks?${v.query}`;
    const where = applyTaskFilters(
      scopeToPrincipal(new SqlWhere(), v.as === 'admin' ? admin : unit),
      v.filter,
      now,
      DEFAULT_ESCALATION_THRESHOLDS,
    );
    if (v.page2) {
      const first = await fetch(`${ctx.api.base}${path}`, { headers });
      const { nextCursor } = (await first.json()) as { nextCursor: string | null };
      if (!nextCursor) throw new Error(`list variant ${v.name} has no second page`);
      path += `&cursor=${nextCursor}`;
      const [at, id] = decodeCursor(nextCursor, 2);
      where.add('(t.created_at, t.id) < (?, ?)', new Date(String(at)), id);
    }
    const check = await fetch(`${ctx.api.base}${path}`, { headers });
    if (check.status !== 200)
      throw new Error(`list variant ${v.name}: ${check.status} ${await check.text()}`);
    requests.push({ path, headers });
    const page = compileTaskPage(
      where,
      't.created_at DESC, t.id DESC',
      microsUtc('t.created_at'),
      51,
    );
    // pgbench reads `:MI` and `:SS` in the cursor key's to_char format as its own variables;
    // quoting the colons ("HH24":"MI") makes the same format text pgbench leaves alone.
    const text = inline(page.sql, [...page.parameters]).replaceAll('HH24:MI:SS', 'HH24":"MI":"SS');
    scripts.push({ name: `list${i}`, sql: `${text};\n` });
  }
  const measurements: Measurement[] = [];
  for (const connections of [1, ctx.connections]) {
    const load = {
      base: ctx.api.base,
      pid: ctx.api.child.pid as number,
      connections,
      requests: requests.map((r) => ({ method: 'GET', ...r })),
    };
    await hammer({ ...load, seconds: WARMUP_SECONDS });
    const http = await hammer({ ...load, seconds: ctx.seconds });
    const raw = await pgbench({
      url: ctx.url,
      scripts,
      clients: connections,
      seconds: ctx.seconds,
    });
    measurements.push({ label: `list, ${connections} conn.`, connections, http, raw });
  }
  const single = measurements[0];
  return {
    id: 'list',
    title: 'GET /tasks (filters, cursor) vs the same SQL in pgbench',
    measurements,
    ratio: {
      value: (single.http?.p99 ?? NaN) / (single.raw?.p99 ?? NaN),
      meaning: 'HTTP p99 ÷ SQL p99 at 1 connection',
    },
    notes: [
      `${requests.length} requests in turn: ${listVariants(ctx)
        .map((v) => v.name)
        .join('; ')}.`,
    ],
  };
}
