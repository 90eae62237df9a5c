import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { buildOpenApiDocument } from '../src/openapi.js';
import { loadConfig } from '../src/config/app-config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { revertLastMigration, runMigrationsLocked } from '../src/database/migrate.js';
import { MAINTENANCE_QUEUE, MaintenanceJob } from '../src/jobs/queues.js';
import { MIGRATIONS } from '../migrations/index.js';
import { freePort } from './support/processes.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { urlOfDatabase, withAdminClient, runId } from './support/test-db.js';

/** A TCP port nothing listens on. */
describe('platform', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET /health is public and up; /health/ready checks Postgres and Redis', async () => {
    const live = await t.http().get('/health').expect(200);
    expect(live.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
    const ready = await t.http().get('/health/ready').expect(200);
    // Neither answer may be kept by a proxy: a cached "up" would hide an outage.
    for (const answer of [live, ready])
      expect(answer.headers['cache-control']).toBe('no-cache, no-store, must-revalidate');
    expect(ready.body.details).toMatchObject({
      database: { status: 'up' },
      redis: { status: 'up' },
    });
    expect(ready.headers['x-request-id']).toEqual(expect.any(String));
  });

  it("sends helmet's security headers on every kind of answer", async () => {
    const { token } = await t.signIn('admin');
    const answers = [
      await t.http().get('/health').expect(200),
      await t.http().get('/api/v1/me').set('authorization', `Bearer ${token}`).expect(200),
      await t.http().get('/api/v1/me').expect(401),
      await t.http().get('/api/v1/no-such-route').expect(404),
    ];
    for (const answer of answers) {
      expect(answer.headers).toMatchObject({
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
        'origin-agent-cluster': '?1',
        'referrer-policy': 'no-referrer',
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'x-content-type-options': 'nosniff',
        'x-dns-prefetch-control': 'off',
        'x-download-options': 'noopen',
        'x-frame-options': 'SAMEORIGIN',
        'x-permitted-cross-domain-policies': 'none',
        'x-xss-protection': '0',
      });
      expect(answer.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('serves the OpenAPI UI at /docs and the document at /docs-json', async () => {
    const ui = await t.http().get('/docs').redirects(1);
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
    const doc = await t.http().get('/docs-json').expect(200);
    expect(doc.body.paths['/api/v1/auth/login']).toBeDefined();
    expect(doc.body.components.schemas.ProblemDto).toBeDefined();
  });

  it('the committed openapi.json is the document the code builds (run `npm run openapi` when this fails)', () => {
    const committed: unknown = JSON.parse(readFileSync('openapi.json', 'utf8'));
    expect(JSON.parse(JSON.stringify(buildOpenApiDocument(t.app)))).toEqual(committed);
  });

  it('unknown route → 404 problem; malformed JSON → 400; oversized body → 413; wrong media type → 415', async () => {
    const { token } = await t.signIn('admin');
    const notFound = await t.http().get('/api/v1/nope').set('authorization', `Bearer ${token}`);
    expect(notFound.status).toBe(404);
    expect(notFound.body).toMatchObject({ code: 'ROUTE_NOT_FOUND', status: 404 });
    expect(notFound.headers['content-type']).toMatch(/problem\+json/);

    const malformed = await t
      .http()
      .post('/api/v1/units')
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'application/json')
      .send('{"code": "A",');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('MALFORMED_JSON');

    const huge = await t
      .http()
      .post('/api/v1/units')
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'application/json')
      .send(
        JSON.stringify({
          code: 'A',
          name: 'x'.repeat(t.config.http.bodyLimitBytes + 10),
          kind: 'street',
        }),
      );
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');

    const xml = await t
      .http()
      .post('/api/v1/units')
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'application/xml')
      .send('<a/>');
    expect(xml.status).toBe(415);
    expect(xml.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');

    const wrongMethod = await t
      .http()
      .put('/api/v1/units')
      .set('authorization', `Bearer ${token}`)
      .send({});
    expect([404, 405]).toContain(wrongMethod.status);
  });

  it('validation errors name each field; unknown fields are refused; nothing is written', async () => {
    const { token } = await t.signIn('admin');
    const before = await t.ds.query('SELECT count(*)::int AS n FROM units');
    const res = await t
      .http()
      .post('/api/v1/units')
      .set('authorization', `Bearer ${token}`)
      .send({ code: 'bad code!', kind: 'planet', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = [
      ...new Set((res.body.errors as { field: string }[]).map((e) => e.field)),
    ].sort();
    expect(fields).toEqual(['code', 'extra', 'kind', 'name']);
    expect(res.body.detail).toContain('code');
    const after = await t.ds.query('SELECT count(*)::int AS n FROM units');
    expect(after[0].n).toBe(before[0].n);

    const badId = await t
      .http()
      .get('/api/v1/units/not-a-uuid')
      .set('authorization', `Bearer ${token}`);
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0]).toMatchObject({ field: 'id', code: 'isUuid' });

    const badQuery = await t
      .http()
      .get('/api/v1/units?limit=0&cursor=%%%')
      .set('authorization', `Bearer ${token}`);
    expect(badQuery.status).toBe(400);
  });

  it('the bull queue runs a job on the real Redis: expired refresh tokens are purged', async () => {
    const { user } = await t.signIn('inspector');
    await t.ds.query(
      `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) VALUES ($1, gen_random_uuid(), repeat('a', 64), now() - interval '1 day')`,
      [user.id],
    );
    const queue = t.app.get<Queue>(getQueueToken(MAINTENANCE_QUEUE));
    const job = await queue.add(MaintenanceJob.PURGE_REFRESH_TOKENS, {});
    const result = (await job.finished()) as { deleted: number };
    expect(result.deleted).toBe(1);
    const left = await t.ds.query(
      `SELECT count(*)::int AS n FROM refresh_tokens WHERE expires_at < now()`,
    );
    expect(left[0].n).toBe(0);
    expect((queue as unknown as { keyPrefix: string }).keyPrefix).toContain(`cct:${runId()}`);
  });
});

describe('readiness with Redis unreachable', () => {
  it('answers 503 naming redis, while liveness stays 200', async () => {
    // An API process (no job processors): readiness is what its orchestrator asks.
    const t = await createTestApp({
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      APP_ROLE: 'api',
    });
    try {
      const res = await t.http().get('/health/ready');
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('NOT_READY');
      expect(res.body.checks.redis.status).toBe('down');
      expect(res.body.checks.database.status).toBe('up');
      await t.http().get('/health').expect(200);
    } finally {
      await t.close();
    }
  });
});

describe('configuration', () => {
  it('a bad environment stops the process with one line per bad variable', () => {
    const res = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "await import('./dist/src/main.js')"],
      {
        env: {
          ...process.env,
          PORT: 'eighty',
          DATABASE_URL: 'mysql://x',
          APP_ROLE: 'both',
          NODE_ENV: 'production',
        },
        encoding: 'utf8',
        timeout: 20000,
      },
    );
    expect(res.status).toBe(1);
    const lines = res.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('config error:'));
    expect(lines.map((l) => l.split(' ')[2]).sort()).toEqual([
      'APP_ROLE',
      'DATABASE_URL',
      'JWT_SECRET',
      'PORT',
    ]);
  });

  it('loadConfig applies defaults that work on this machine', () => {
    const c = loadConfig({});
    expect(c.database.url).toBe('postgres://postgres@localhost:5432/chuangcheng');
    expect(c.redis.url).toBe('redis://127.0.0.1:6379');
    expect(c.role).toBe('all');
  });
});

describe('migrations', () => {
  it('run up and all the way down on an empty database, and up again', async () => {
    const name = `cc_t_${runId()}_mig`;
    await withAdminClient((c) => c.query(`CREATE DATABASE "${name}"`));
    const config = loadConfig({ DATABASE_URL: urlOfDatabase(name), NODE_ENV: 'test' });
    const ds = new DataSource(dataSourceOptions(config, 2));
    await ds.initialize();
    const tables = async (): Promise<string[]> =>
      (
        await ds.query(
          `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`,
        )
      ).map((r: { tablename: string }) => r.tablename);
    try {
      const applied = await runMigrationsLocked(ds, config.database.migrationsLockKey);
      expect(applied).toHaveLength(MIGRATIONS.length);
      expect(await tables()).toEqual(
        expect.arrayContaining(['units', 'users', 'categories', 'sites']),
      );
      for (let i = 0; i < MIGRATIONS.length; i++)
        await revertLastMigration(ds, config.database.migrationsLockKey);
      expect(await tables()).toEqual([]);
      expect(await runMigrationsLocked(ds, config.database.migrationsLockKey)).toHaveLength(
        MIGRATIONS.length,
      );
      // Two processes starting together on a fresh schema: the advisory lock lets one apply
      // each migration and the other find nothing to do.
      await revertLastMigration(ds, config.database.migrationsLockKey);
      const other = new DataSource(dataSourceOptions(config, 2));
      await other.initialize();
      try {
        const [a, b] = await Promise.all([
          runMigrationsLocked(ds, config.database.migrationsLockKey),
          runMigrationsLocked(other, config.database.migrationsLockKey),
        ]);
        expect([...a, ...b]).toEqual([MIGRATIONS[MIGRATIONS.length - 1].name]);
      } finally {
        await other.destroy();
      }
    } finally {
      await ds.destroy();
    }
  });
});
