import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { envFileFor, type WebTestEnv } from './env';

/** The port e2e-web/channels.pw.ts's fake 企业微信 listens on. */
export const WECOM_FAKE_PORT = 47391;

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@localhost:5432/postgres';
const PASSWORD = 'web-test-password-1';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitReady(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(`${url}/health/ready`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the service did not become ready at ${url}`);
}

async function call<T>(
  base: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const r = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

/**
 * A fresh database (named like the jest runs' so that their clean-up of killed runs covers it),
 * the built service on a free port with its own Redis prefix and upload folder, and the people
 * the stories need, made through the API.
 */
export default async function globalSetup(): Promise<void> {
  if (!existsSync('dist/src/main.js') || !existsSync('dist/web/index.html')) {
    throw new Error('run `npm run build` first: the browser tests drive the built service');
  }
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const dbName = `cc_t_${runId}_web`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const u = new URL(PG_URL);
  u.pathname = `/${dbName}`;
  const databaseUrl = u.toString();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const storageRoot = mkdtempSync(join(tmpdir(), 'cc-web-storage-'));
  const log = openSync(join(tmpdir(), `cc-web-${runId}.log`), 'w');
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      REDIS_PREFIX: `cc_t_${runId}`,
      STORAGE_ROOT: storageRoot,
      ADMIN_USERNAME: 'office',
      ADMIN_PASSWORD: PASSWORD,
      LOG_LEVEL: 'warn',
      LOGIN_RATE_LIMIT: '1000',
      // 签收 on, as a 数字城管-style office runs it: e2e-web/acknowledgement.pw.ts signs for a task
      // (the other stories' units submit, which signs too).
      ACK_REQUIRED: 'true',
      // 企业微信 robots reach the fake receiver of e2e-web/channels.pw.ts.
      CHANNEL_WECOM_BASE_URL: `http://127.0.0.1:${WECOM_FAKE_PORT}`,
    },
    stdio: ['ignore', log, log],
    detached: false,
  });
  await waitReady(baseUrl, 60_000);

  const login = await call<{ accessToken: string }>(baseUrl, null, 'POST', '/auth/login', {
    username: 'office',
    password: PASSWORD,
  });
  const t = login.accessToken;
  const unitA = await call<{ id: string; name: string }>(baseUrl, t, 'POST', '/units', {
    code: 'JD-WM',
    name: '文明街道',
    kind: 'street',
    sortOrder: 1,
    active: true,
  });
  const unitB = await call<{ id: string; name: string }>(baseUrl, t, 'POST', '/units', {
    code: 'JD-HP',
    name: '和平街道',
    kind: 'street',
    sortOrder: 2,
    active: true,
  });
  const siteA = await call<{ id: string; name: string }>(baseUrl, t, 'POST', '/sites', {
    name: '人民公园',
    kind: '公园广场',
    address: '人民路1号',
    defaultUnitId: unitA.id,
  });
  const siteB = await call<{ id: string; name: string }>(baseUrl, t, 'POST', '/sites', {
    name: '和平社区',
    kind: '社区',
    address: '和平路8号',
    defaultUnitId: unitB.id,
  });
  const mk = (username: string, displayName: string, role: string, unitId?: string) =>
    call(baseUrl, t, 'POST', '/users', { username, displayName, role, unitId, password: PASSWORD });
  await mk('inspector1', '张督导', 'inspector');
  await mk('wenming1', '文明街道李四', 'unit', unitA.id);
  await mk('heping1', '和平街道王五', 'unit', unitB.id);
  const cats = await call<{ items: { id: string; code: string }[] }>(
    baseUrl,
    t,
    'GET',
    '/categories?limit=200',
  );
  const category = cats.items.find((c) => c.code === 'HJ01') ?? cats.items[0];

  const env: WebTestEnv = {
    baseUrl,
    databaseUrl,
    dbName,
    pid: child.pid ?? 0,
    storageRoot,
    redisPrefix: `cc_t_${runId}`,
    password: PASSWORD,
    users: { admin: 'office', inspector: 'inspector1', unitA: 'wenming1', unitB: 'heping1' },
    unitA,
    unitB,
    siteA,
    siteB,
    categoryId: category.id,
  };
  const file = envFileFor(runId);
  writeFileSync(file, JSON.stringify(env));
  // Seen by the test workers and the teardown of this run only.
  process.env.CC_WEB_ENV_FILE = file;
}
