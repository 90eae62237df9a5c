import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';
import type { Response } from 'supertest';
import { hashPassword } from '../src/auth/passwords.js';
import { freePort } from './support/processes.js';
import { createTestApp, testEnv, type TestApp } from './support/test-app.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';

/**
 * Faults: Postgres connections killed under load, and the process killed mid-write. Every loop
 * here is bounded in time and count, and all traffic stays on the loopback interface.
 */

/** Invariants of the loop that no crash or lost connection may break (each query counts breaches). */
const INVARIANTS: Record<string, string> = {
  'a task without its create event': `SELECT count(*)::int AS n FROM tasks t
      WHERE NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.id AND e.action = 'create')`,
  'a task whose version is not its number of events': `SELECT count(*)::int AS n FROM tasks t
      WHERE t.version <> (SELECT count(*) FROM task_events e WHERE e.task_id = t.id)`,
  'a submit event without its submission row': `SELECT count(*)::int AS n FROM task_events e
      WHERE e.action = 'submit' AND NOT EXISTS (SELECT 1 FROM task_submissions s WHERE s.event_id = e.id)`,
  'a submitted task without a submission': `SELECT count(*)::int AS n FROM tasks t
      WHERE t.status = 'submitted' AND NOT EXISTS (SELECT 1 FROM task_submissions s WHERE s.task_id = t.id)`,
  'a submission whose task never left assigned': `SELECT count(*)::int AS n FROM task_submissions s
      JOIN tasks t ON t.id = s.task_id WHERE t.status = 'assigned' AND t.rework_count = 0`,
  'a year whose counter is not its number of tasks': `SELECT count(*)::int AS n FROM task_number_counters c
      WHERE c.last_value <> (SELECT count(*) FROM tasks t WHERE t.number LIKE 'ZG-' || c.year || '-%')`,
};

async function breaches(query: (sql: string) => Promise<{ n: number }[]>): Promise<string[]> {
  const out: string[] = [];
  for (const [what, sql] of Object.entries(INVARIANTS)) {
    const [{ n }] = await query(sql);
    if (n > 0) out.push(`${n} × ${what}`);
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A 4xx or 5xx must be a problem body; a 5xx must carry a request id for the logs. */
function judge(res: {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}): string | null {
  if (res.status < 400) return null;
  const body = res.body as { code?: unknown; status?: unknown; requestId?: unknown } | null;
  if (!/^application\/problem\+json/.test(res.headers['content-type'] ?? ''))
    return `${res.status} without a problem body`;
  if (typeof body?.code !== 'string' || body.status !== res.status)
    return `${res.status} malformed problem`;
  if (res.status >= 500 && typeof body.requestId !== 'string')
    return `${res.status} without requestId`;
  return null;
}

describe('Postgres connections killed under load', () => {
  let t: TestApp;
  let w: LoopWorld;
  let killer: pg.Client;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    killer = new pg.Client({ connectionString: t.config.database.url });
    await killer.connect();
  });
  afterAll(async () => {
    await killer.end();
    await t.close();
  });

  it('requests fail cleanly, none hangs, and the service serves again without a restart', async () => {
    const inspector = as(t, w.inspector.token);
    const outcomes: {
      status: number;
      problem: string | null;
      code?: string;
      retryAfter?: string;
      createdId?: string;
    }[] = [];
    const hangs: string[] = [];
    const until = Date.now() + 3000;
    const worker = async (n: number): Promise<void> => {
      for (let i = 0; Date.now() < until && i < 400; i++) {
        const req =
          (n + i) % 2 === 0
            ? inspector.post('/tasks', {
                categoryId: w.categoryId,
                siteId: w.siteA,
                description: `负载${n}-${i}`,
              })
            : inspector.get('/tasks?limit=20&status=assigned');
        try {
          const res: Response = await req.timeout({ response: 10_000, deadline: 15_000 });
          outcomes.push({
            status: res.status,
            problem: judge(res),
            code: (res.body as { code?: string }).code,
            retryAfter: res.headers['retry-after'],
            createdId: (res.body as { id?: string }).id,
          });
        } catch (e) {
          hangs.push(String(e));
        }
      }
    };
    let killed = 0;
    const kill = async (): Promise<void> => {
      for (let round = 0; round < 4; round++) {
        await sleep(600);
        const rows = await killer.query(
          `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        killed += rows.rows.filter((r: { done: boolean }) => r.done).length;
      }
    };
    await Promise.all([...Array.from({ length: 8 }, (_, n) => worker(n)), kill()]);

    expect(killed).toBeGreaterThan(0);
    expect(hangs).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(20);
    expect(outcomes.filter((o) => o.problem)).toEqual([]);
    const statuses = new Set(outcomes.map((o) => o.status));
    // A lost connection is a retryable 503 with Retry-After, never a 500; a create whose read-back
    // failed after COMMIT says so and names the task it made, which exists.
    for (const s of statuses) expect([200, 201, 503]).toContain(s);
    for (const o of outcomes.filter((x) => x.status === 503)) {
      expect(['DATABASE_UNAVAILABLE', 'COMMITTED_READ_FAILED']).toContain(o.code);
      expect(Number(o.retryAfter)).toBeGreaterThan(0);
    }
    const committed = outcomes.filter((o) => o.code === 'COMMITTED_READ_FAILED');
    // Asked on the killer's own connection: the kills also ended the test pool's connections,
    // and a pooled client may not have noticed yet.
    for (const o of committed) {
      const { rows } = await killer.query('SELECT 1 FROM tasks WHERE id = $1', [o.createdId]);
      expect(rows).toHaveLength(1);
    }

    // Back without a restart: within a few seconds every kind of request succeeds again.
    const deadline = Date.now() + 10_000;
    let recovered = false;
    while (!recovered && Date.now() < deadline) {
      const created = await inspector.post('/tasks', {
        categoryId: w.categoryId,
        siteId: w.siteA,
        description: '恢复后',
      });
      const listed = await inspector.get('/tasks?limit=5');
      const ready = await t.http().get('/health/ready');
      recovered = created.status === 201 && listed.status === 200 && ready.status === 200;
      if (!recovered) await sleep(200);
    }
    expect(recovered).toBe(true);
    expect(await breaches((sql) => t.ds.query(sql))).toEqual([]);
  });
});

interface Service {
  child: ChildProcess;
  base: string;
  stderr: () => string;
}

/** The built app as its own process, ready to serve. */
async function startService(env: Record<string, string>): Promise<Service> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', APP_ROLE: 'api' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`service exited ${child.exitCode}: ${err}`);
    const ok = await fetch(`${base}/health/ready`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return { child, base, stderr: () => err };
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`service did not become ready: ${err}`);
}

async function stopService(s: Service, signal: NodeJS.Signals): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise<void>((r) => s.child.once('exit', () => r()));
  s.child.kill(signal);
  await exited;
}

interface World {
  password: string;
  category: string;
  site: string;
}

/** Two users (an inspector, a unit), a category without after-photo and a site of the unit. */
async function seedWorld(db: pg.Client): Promise<World> {
  const password = 'kill-test-password-1';
  const hash = await hashPassword(password);
  const q = async (sql: string, params: unknown[] = []): Promise<string> =>
    ((await db.query(sql, params)).rows[0] as { id: string } | undefined)?.id ?? '';
  const unit = await q(
    `INSERT INTO units (code, name, kind) VALUES ('K1', '杀进程街道', 'street') RETURNING id`,
  );
  await q(
    `INSERT INTO users (username, display_name, role, unit_id, password_hash) VALUES
       ('k-inspector', '督导员', 'inspector', NULL, $1), ('k-unit', '街道', 'unit', $2, $1)`,
    [hash, unit],
  );
  const category = await q(
    `INSERT INTO categories (code, name, group_name, measure_word, deadline_rule, requires_after_photo)
     VALUES ('KL01', '杀进程类别', '市容环境', '处', '{"kind":"work_days","days":3}', false) RETURNING id`,
  );
  const site = await q(
    `INSERT INTO sites (name, kind, default_unit_id) VALUES ('杀进程点位', '社区', $1) RETURNING id`,
    [unit],
  );
  return { password, category, site };
}

async function login(base: string, username: string, password: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
    signal: AbortSignal.timeout(10_000),
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status}`);
  return ((await r.json()) as { accessToken: string }).accessToken;
}

function post(
  base: string,
  path: string,
  token: string,
  body: object,
  ms = 15_000,
): Promise<globalThis.Response> {
  return fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(ms),
  });
}

describe('the built service as its own process', () => {
  let env: Record<string, string>;
  let db: pg.Client;
  let world: World;
  let service: Service | undefined;

  beforeAll(async () => {
    if (!existsSync('dist/src/main.js'))
      throw new Error('dist/src/main.js missing: run `npm run build`');
    env = await testEnv({ SEED_CATALOG_ON_START: 'false', LOG_LEVEL: 'silent' });
    db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    world = await seedWorld(db);
  });
  afterEach(async () => {
    if (service) await stopService(service, 'SIGKILL');
    service = undefined;
  });
  afterAll(() => db.end());

  it('a SIGKILL mid-write leaves no half-written task; the next process carries on', async () => {
    const { password } = world;
    service = await startService(env);
    const { base } = service;
    const [inspectorToken, unitToken] = [
      await login(base, 'k-inspector', password),
      await login(base, 'k-unit', password),
    ];
    const createBody = {
      categoryId: world.category,
      siteId: world.site,
      description: '杀进程测试',
    };
    const toSubmit: string[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await post(base, '/tasks', inspectorToken, createBody);
      expect(r.status).toBe(201);
      toSubmit.push(((await r.json()) as { id: string }).id);
    }
    // Creates and submissions from 12 clients; SIGKILL while they run.
    let inFlight = 0;
    let cutOff = 0;
    let ok = 0;
    const stopAt = Date.now() + 5000;
    const client = async (n: number): Promise<void> => {
      for (let i = 0; i < 500 && Date.now() < stopAt; i++) {
        const id = n % 3 === 0 ? toSubmit.pop() : undefined;
        inFlight++;
        try {
          const r = id
            ? await post(base, `/tasks/${id}/submissions`, unitToken, {
                version: 1,
                description: '已整改',
              })
            : await post(base, '/tasks', inspectorToken, createBody);
          if (r.status === 200 || r.status === 201) ok++;
          await r.arrayBuffer();
        } catch {
          cutOff++;
          return;
        } finally {
          inFlight--;
        }
      }
    };
    const clients = Array.from({ length: 12 }, (_, n) => client(n));
    await sleep(1200);
    const inFlightAtKill = inFlight;
    await stopService(service, 'SIGKILL');
    await Promise.all(clients);

    expect(ok).toBeGreaterThan(0);
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(cutOff).toBeGreaterThan(0);
    // Postgres rolls back what the dead process left open; give it a moment to notice.
    const until = Date.now() + 10_000;
    for (;;) {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      if (rows[0].n === 0 || Date.now() > until) break;
      await sleep(100);
    }
    expect(await breaches(async (sql) => (await db.query(sql)).rows)).toEqual([]);

    // A new process continues: the next number follows the last committed one, without a gap.
    const { rows: before } = await db.query('SELECT count(*)::int AS n FROM tasks');
    const next = await startService(env);
    service = next;
    const token = await login(next.base, 'k-inspector', password);
    const r = await post(next.base, '/tasks', token, createBody);
    expect(r.status).toBe(201);
    const created = (await r.json()) as { number: string };
    expect(Number(created.number.split('-')[2])).toBe(before[0].n + 1);
    await stopService(next, 'SIGTERM');
    service = undefined;
    expect(await breaches(async (sql) => (await db.query(sql)).rows)).toEqual([]);
  });

  // Regression guard: POST /tasks once looked up the category and the site on a second pool
  // connection while its transaction held the first. With as many concurrent creates as pool
  // connections each waited for another: the pool deadlocked and the API hung for good. Every
  // read inside a transaction must use the transaction's EntityManager.
  it('more concurrent creates than pool connections all complete (no pool deadlock)', async () => {
    service = await startService({ ...env, DATABASE_POOL_SIZE: '2' });
    const { base } = service;
    const token = await login(base, 'k-inspector', world.password);
    const body = { categoryId: world.category, siteId: world.site, description: '连接池' };
    const statuses = await Promise.all(
      Array.from({ length: 6 }, () =>
        post(base, '/tasks', token, body, 10_000).then(
          (r) => r.status,
          (e: unknown) => (e instanceof Error ? e.name : String(e)),
        ),
      ),
    );
    expect(statuses).toEqual(Array(6).fill(201));
  });
});
