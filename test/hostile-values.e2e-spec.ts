import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Response } from 'supertest';
import { normaliseText } from '../src/common/text/plain-text.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { as, buildLoopWorld, PNG_1X1, type LoopWorld } from './support/fixtures.js';

/**
 * Legal but hostile values, one by one: text that passes validation and reaches the database
 * (SQL, markup, emoji, right-to-left marks, NUL), forged pagination cursors, odd upload names,
 * and URLs that Fastify's router or Node's HTTP parser refuse before any Nest code runs.
 * test/hostile-fuzz.e2e-spec.ts sends the invalid-by-construction bulk.
 */

const UNICODE = [
  '😀🏳️‍🌈👨‍👩‍👧‍👦',
  '\u202eevil\u202c עברית العربية',
  'e\u0301\u0301\u0301\u0301 Z̸̢̛͓a̴l̵g̶o',
  '\ufeff\u200b\u2028\u2029x',
];
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');

describe('legal but hostile values that reach the database', () => {
  let t: TestApp;
  let w: LoopWorld;
  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
  });
  afterAll(() => t.close());

  const problem = (res: Response): void => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: res.status, code: expect.any(String) });
  };

  // Verbatim but for the ends (trimmed) and zero-width characters (removed): see
  // src/common/text/plain-text.ts; text that is nothing else is tested in text-fields.e2e-spec.ts.
  it('SQL, markup, emoji and right-to-left text are stored and returned verbatim', async () => {
    const texts = [
      "' OR 1=1 --",
      "'); DELETE FROM tasks; --",
      '<script>alert(1)</script>',
      ...UNICODE,
    ];
    for (const text of texts) {
      const res = await as(t, w.inspector.token).post('/tasks', {
        categoryId: w.categoryId,
        siteId: w.siteA,
        description: text,
      });
      expect(res.status).toBe(201);
      const stored = normaliseText(text);
      expect(res.body.description).toBe(stored);
      const [row] = await t.ds.query('SELECT description FROM tasks WHERE id = $1', [res.body.id]);
      expect(row.description).toBe(stored);
    }
    const [{ n }] = await t.ds.query('SELECT count(*)::int AS n FROM tasks');
    expect(n).toBe(texts.length);
  });

  // Regression guard: a NUL passes validation and Postgres refuses it (22021), which once
  // surfaced as a 500.
  it('a NUL character in a text field is a 400, not a database error', async () => {
    const before = await t.ds.query('SELECT count(*)::int AS n FROM tasks');
    const res = await as(t, w.inspector.token).post('/tasks', {
      categoryId: w.categoryId,
      siteId: w.siteA,
      description: 'a\u0000b',
    });
    expect(res.status).toBe(400);
    problem(res);
    const unit = await as(t, w.admin.token).post('/units', {
      code: 'NUL1',
      name: 'x\u0000y',
      kind: 'street',
    });
    expect(unit.status).toBe(400);
    problem(unit);
    expect(await t.ds.query('SELECT count(*)::int AS n FROM tasks')).toEqual(before);
  });

  // Regression guard: search text with a NUL reached ILIKE as a parameter and answered 500.
  it('a NUL character in a search is a 400 or an empty page, not a 500', async () => {
    for (const path of [
      '/tasks?q=a%00b',
      '/units?q=a%00b',
      '/users?q=a%00b',
      '/sites?q=a%00b',
      '/categories?q=a%00b',
    ]) {
      const res = await as(t, w.admin.token).get(path);
      expect({ path, status: res.status < 500 ? 'ok' : res.status }).toEqual({
        path,
        status: 'ok',
      });
      if (res.status >= 400) problem(res);
    }
  });

  // Regression guard: a well-formed cursor carrying values of the wrong type (a non-UUID id, a
  // word where a number or date belongs) once reached SQL and answered 500.
  it('a forged cursor with values of the wrong type is a 400', async () => {
    const forged = b64(['2026-01-01T00:00:00.000Z', 'not-a-uuid']);
    const wrongOrder = b64(['not-a-number', 'x']);
    for (const path of [
      `/tasks?cursor=${forged}`,
      `/api-keys?cursor=${b64(['x', 'x'])}`,
      `/units?cursor=${wrongOrder}`,
      `/categories?cursor=${wrongOrder}`,
      `/inspections?cursor=${b64(['x', 'x'])}`,
      `/tasks?sort=deadline&cursor=${forged}`,
    ]) {
      const res = await as(t, w.admin.token).get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      problem(res);
    }
  });

  // Regression guard: `deadlineRule: []` passed @ValidateNested (an empty array has no element
  // to fail) and the category's 整改时限 silently became 立行立改.
  it('an array where the deadline rule object belongs is a 400 and changes nothing', async () => {
    const before = await as(t, w.admin.token).get(`/categories/${w.categoryId}`).expect(200);
    const res = await as(t, w.admin.token).patch(`/categories/${w.categoryId}`, {
      deadlineRule: [],
    });
    expect(res.status).toBe(400);
    problem(res);
    const created = await as(t, w.admin.token).post('/categories', {
      code: 'ARR1',
      name: '数组时限',
      groupName: '市容环境',
      measureWord: '处',
      deadlineRule: [],
    });
    expect(created.status).toBe(400);
    const after = await as(t, w.admin.token).get(`/categories/${w.categoryId}`).expect(200);
    expect(after.body.deadlineRule).toEqual(before.body.deadlineRule);
  });

  it('an upload named ../../etc/passwd is stored by its hash inside STORAGE_ROOT only', async () => {
    const res = await t
      .http()
      .post('/api/v1/attachments')
      .set('authorization', `Bearer ${w.unitA.token}`)
      .attach('file', PNG_1X1, { filename: '../../etc/passwd', contentType: 'image/png' });
    expect(res.status).toBe(201);
    const root = t.config.storage.root;
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(relative(root, p));
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      expect(f.startsWith('..')).toBe(false);
      expect(f).not.toContain('passwd');
    }
  });

  // Regression guard: errors raised by Fastify's router and Node's HTTP parser, before any Nest
  // code runs, once answered Fastify's own `application/json` body: FST_ERR_BAD_URL (400, a
  // path that is not UTF-8), FST_ERR_MAX_PARAM_LENGTH (414, a path parameter over 100
  // characters) and 431 (a URL over Node's 16 KiB header limit).
  it.each([
    ['a path that is not UTF-8', '/api/v1/tasks/%FF%FE'],
    ['an overlong encoding of /', '/api/v1/units/%C0%AF'],
    ['a lone surrogate', '/api/v1/sites/%ED%A0%80'],
    ['a 300-character id', `/api/v1/tasks/${'a'.repeat(300)}`],
    ['a 20 KiB URL', `/api/v1/tasks?q=${'a'.repeat(20_000)}`],
  ])('%s gets a 4xx problem body', async (_what, url) => {
    const res = await t.http().get(url).set('authorization', `Bearer ${w.admin.token}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    problem(res);
  });
});
