import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { CONSOLE_CSP } from '../src/web/console-static.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from './support/test-app.js';

function cookieOf(res: { headers: Record<string, unknown> }): string | undefined {
  const raw = res.headers['set-cookie'];
  const all = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  return all.find((c) => c.startsWith('cc_refresh='));
}
const valueOf = (cookie: string) => cookie.split(';')[0].slice('cc_refresh='.length);

const CHUNK = Buffer.from(
  Array.from({ length: 200 }, (_, i) => `export const 指标${i} = '第${i}项';`).join('\n'),
);
const TWO_MEMBERS = Buffer.concat([
  gzipSync(CHUNK.subarray(0, 1000)),
  gzipSync(CHUNK.subarray(1000)),
]);
const STYLES = Buffer.from(
  Array.from({ length: 100 }, (_, i) => `.row-${i} { color: #b71c1c; }`).join('\n'),
);

describe('the console: refresh cookie, static pages, its task filter', () => {
  let t: TestApp;
  let w: LoopWorld;
  const webRoot = mkdtempSync(join(tmpdir(), 'cc-web-'));
  const savedRoot = process.env.WEB_ROOT;

  beforeAll(async () => {
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(webRoot, 'assets', 'app-abc123.js'), 'console.log(1)');
    mkdirSync(join(webRoot, 'm', 'assets'), { recursive: true });
    writeFileSync(join(webRoot, 'm', 'index.html'), '<!doctype html><title>phone</title>');
    writeFileSync(join(webRoot, 'm', 'sw.js'), 'self.addEventListener("fetch", () => {})');
    writeFileSync(join(webRoot, 'm', 'manifest.webmanifest'), '{"name":"创城督导"}');
    writeFileSync(join(webRoot, 'm', 'assets', 'm-def456.js'), 'console.log(2)');
    // A chunk as the build leaves it (web/precompress.ts): brotli and gzip copies beside it. The
    // gzip copy is two gzip members — valid, the same bytes unpacked, and nothing a server
    // compressing on the fly would send — so the test sees which one went out.
    writeFileSync(join(webRoot, 'assets', 'chart-0f0f0f.js'), CHUNK);
    writeFileSync(join(webRoot, 'assets', 'chart-0f0f0f.js.br'), brotliCompressSync(CHUNK));
    writeFileSync(join(webRoot, 'assets', 'chart-0f0f0f.js.gz'), TWO_MEMBERS);
    // A stylesheet the build did not compress (smaller than its copies would be, say).
    writeFileSync(join(webRoot, 'assets', 'plain-1a2b3c.css'), STYLES);
    process.env.WEB_ROOT = webRoot;
    t = await createTestApp();
    w = await buildLoopWorld(t);
  });
  afterAll(async () => {
    if (savedRoot === undefined) delete process.env.WEB_ROOT;
    else process.env.WEB_ROOT = savedRoot;
    await t.close();
  });

  async function login(): Promise<{ body: Record<string, unknown>; cookie: string }> {
    const { user } = await t.signIn('inspector');
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: TEST_PASSWORD })
      .expect(200);
    const cookie = cookieOf(res);
    if (!cookie) throw new Error('no refresh cookie');
    return { body: res.body, cookie };
  }

  it('login sets the refresh token as an HttpOnly, SameSite=Strict cookie scoped to the auth routes', async () => {
    const { body, cookie } = await login();
    expect(valueOf(cookie)).toBe(encodeURIComponent(body.refreshToken as string));
    expect(cookie).toMatch(/; Path=\/api\/v1\/auth(;|$)/);
    expect(cookie).toMatch(/; HttpOnly(;|$)/);
    expect(cookie).toMatch(/; SameSite=Strict(;|$)/);
    expect(cookie).toMatch(/; Max-Age=\d+/);
    // Outside production on plain HTTP the cookie is not Secure (AUTH_COOKIE_SECURE decides).
    expect(cookie).not.toMatch(/Secure/);
    // A refused login sets none, and no other route touches it (its hooks are the auth routes' own).
    const { user } = await t.signIn('inspector');
    const refused = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: 'wrong-password' })
      .expect(401);
    expect(refused.headers['set-cookie']).toBeUndefined();
    const other = await t
      .http()
      .post('/api/v1/tasks')
      .set('authorization', `Bearer ${body.accessToken as string}`)
      .set('cookie', `cc_refresh=${valueOf(cookie)}`)
      .send({});
    expect(other.status).toBe(400);
    expect(other.headers['set-cookie']).toBeUndefined();
  });

  it('refresh takes the cookie when the body has no token, and rotates it', async () => {
    const { cookie } = await login();
    const first = `cc_refresh=${valueOf(cookie)}`;
    const res = await t.http().post('/api/v1/auth/refresh').set('cookie', first).expect(200);
    const rotated = cookieOf(res);
    expect(rotated).toBeDefined();
    expect(valueOf(rotated!)).toBe(encodeURIComponent(res.body.refreshToken as string));
    expect(valueOf(rotated!)).not.toBe(valueOf(cookie));
    // The old one is spent: reusing it is refused and the dead cookie is cleared.
    const reuse = await t.http().post('/api/v1/auth/refresh').set('cookie', first).expect(401);
    expect(cookieOf(reuse)).toMatch(/Max-Age=0/);
  });

  it('the body still wins for API clients, and no token at all is still a 400', async () => {
    const { body, cookie } = await login();
    const res = await t
      .http()
      .post('/api/v1/auth/refresh')
      .set('cookie', 'cc_refresh=garbage')
      .send({ refreshToken: body.refreshToken })
      .expect(200);
    expect(res.body.accessToken).toEqual(expect.any(String));
    await t.http().post('/api/v1/auth/refresh').send({}).expect(400);
    expect(cookie).toBeDefined();
  });

  it('logout takes the cookie, ends the login and clears the cookie', async () => {
    const { cookie } = await login();
    const jar = `cc_refresh=${valueOf(cookie)}`;
    const out = await t.http().post('/api/v1/auth/logout').set('cookie', jar).expect(204);
    expect(cookieOf(out)).toMatch(/^cc_refresh=; .*Max-Age=0/);
    await t.http().post('/api/v1/auth/refresh').set('cookie', jar).expect(401);
  });

  it('serves the console with a strict CSP, hashed assets cached long, index not cached', async () => {
    const index = await t.http().get('/').expect(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['cache-control']).toBe('no-cache');
    const asset = await t.http().get('/assets/app-abc123.js').expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it("sends a hashed file's build-time brotli or gzip copy to a client that accepts it", async () => {
    // Fastify's own injection: the bytes as sent (supertest would unpack them).
    const fetch = async (url: string, acceptEncoding?: string) => {
      const res = await t.app
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: 'GET',
          url,
          headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
        });
      expect(res.statusCode).toBe(200);
      return { headers: res.headers, body: res.rawPayload };
    };
    const br = await fetch('/assets/chart-0f0f0f.js', 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.body).equals(CHUNK)).toBe(true);
    const gz = await fetch('/assets/chart-0f0f0f.js', 'gzip, deflate');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toMatch(/javascript/);
    expect(gz.body.equals(TWO_MEMBERS)).toBe(true);
    expect(gunzipSync(gz.body).equals(CHUNK)).toBe(true);
    // Asked for nothing: the file as it is, still varying on what was asked.
    const plain = await fetch('/assets/chart-0f0f0f.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(CHUNK)).toBe(true);
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    // A file without copies is compressed as it is sent, as before.
    const css = await fetch('/assets/plain-1a2b3c.css', 'gzip, br');
    expect(css.headers['content-encoding']).toBe('gzip');
    expect(css.headers['content-type']).toMatch(/text\/css/);
    expect(gunzipSync(css.body).equals(STYLES)).toBe(true);
  });

  it('falls back to index.html for console routes that accept HTML, and only those', async () => {
    const deep = await t.http().get('/tasks/123').set('accept', 'text/html').expect(200);
    expect(deep.text).toContain('<title>console</title>');
    expect(deep.headers['content-security-policy']).toBe(CONSOLE_CSP);
    const json = await t.http().get('/tasks/123').set('accept', 'application/json').expect(404);
    expect(json.body.code).toBe('ROUTE_NOT_FOUND');
    for (const path of ['/api/v1/nope', '/health/nope', '/docs/nope', '/open311/v2/tokens/1.xml']) {
      const res = await t.http().get(path).set('accept', 'text/html').expect(404);
      expect(res.body.code).toBe('ROUTE_NOT_FOUND');
    }
    const escape = await t.http().get('/..%2f..%2fpackage.json').set('accept', 'text/html');
    expect(escape.text).not.toContain('"dependencies"');
    await t.http().get('/health').expect(200);
  });

  it('serves the phone app under /m/: its page for its addresses, worker and manifest not cached', async () => {
    for (const path of ['/m/', '/m/checks', '/m/inspections/new']) {
      const page = await t.http().get(path).set('accept', 'text/html').expect(200);
      expect(page.text).toContain('<title>phone</title>');
      expect(page.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(page.headers['cache-control']).toBe('no-cache');
    }
    expect(CONSOLE_CSP).toContain("manifest-src 'self'");
    expect(CONSOLE_CSP).toContain("worker-src 'self'");
    await t.http().get('/m').expect(301).expect('location', '/m/');
    const sw = await t.http().get('/m/sw.js').expect(200);
    expect(sw.headers['cache-control']).toBe('no-cache');
    expect(sw.headers['content-type']).toMatch(/javascript/);
    const manifest = await t.http().get('/m/manifest.webmanifest').expect(200);
    expect(manifest.headers['cache-control']).toBe('no-cache');
    expect(manifest.headers['content-type']).toMatch(/application\/manifest\+json/);
    const asset = await t.http().get('/m/assets/m-def456.js').expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const missing = await t.http().get('/m/assets/nope.js').set('accept', '*/*').expect(404);
    expect(missing.body.code).toBe('ROUTE_NOT_FOUND');
    // The console's own routes still get the console.
    const console = await t.http().get('/tasks').set('accept', 'text/html').expect(200);
    expect(console.text).toContain('<title>console</title>');
  });

  it('filters tasks by a pending extension request or dispute (hasPendingRequest)', async () => {
    const mk = async (d: string) =>
      (
        await as(t, w.inspector.token)
          .post('/tasks', { categoryId: w.categoryId, siteId: w.siteA, description: d })
          .expect(201)
      ).body as { id: string; version: number; deadline: string };
    const plain = await mk('无申请');
    const ext = await mk('申请延期');
    const disp = await mk('申请退回');
    const later = new Date(new Date(ext.deadline).getTime() + 3 * 86_400_000).toISOString();
    await as(t, w.unitA.token)
      .post(`/tasks/${ext.id}/extension-requests`, {
        version: ext.version,
        requestedDeadline: later,
        reason: '需要采购设备',
      })
      .expect(200);
    await as(t, w.unitA.token)
      .post(`/tasks/${disp.id}/disputes`, { version: disp.version, reason: '不属本单位' })
      .expect(200);
    const withPending = await as(t, w.admin.token)
      .get('/tasks?hasPendingRequest=true&limit=200')
      .expect(200);
    const ids = (withPending.body.items as { id: string }[]).map((x) => x.id).sort();
    expect(ids).toEqual([ext.id, disp.id].sort());
    const without = await as(t, w.admin.token)
      .get('/tasks?hasPendingRequest=false&limit=200')
      .expect(200);
    expect((without.body.items as { id: string }[]).map((x) => x.id)).toEqual([plain.id]);
    // A unit sees only its own, with the filter as without it.
    const unitB = await as(t, w.unitB.token).get('/tasks?hasPendingRequest=true').expect(200);
    expect(unitB.body.items).toEqual([]);
    await as(t, w.admin.token).get('/tasks?hasPendingRequest=maybe').expect(400);
  });

  it('lets a unit read its own row of the digest and nothing of any other unit', async () => {
    for (const siteId of [w.siteA]) {
      await as(t, w.inspector.token)
        .post('/tasks', { categoryId: w.categoryId, siteId, description: '本周问题' })
        .expect(201);
    }
    const b = await as(t, w.admin.token)
      .post('/tasks', { categoryId: w.categoryId, siteId: w.siteNoUnit, description: '待派遣' })
      .expect(201);
    await as(t, w.admin.token)
      .post(`/tasks/${b.body.id}/dispatch`, { version: b.body.version, unitId: w.unitB.unitId })
      .expect(200);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const range = `from=${today}&to=${today}`;
    const full = await as(t, w.admin.token).get(`/reports/digest?${range}`).expect(200);
    const rowOf = (unitId: string) =>
      (full.body.units as { unitId: string }[]).find((u) => u.unitId === unitId);

    const mineA = await as(t, w.unitA.token).get(`/reports/digest/mine?${range}`).expect(200);
    expect(mineA.body.row).toEqual(rowOf(w.unitA.unitId));
    expect(mineA.body.rankedUnits).toBe(
      (full.body.units as { rank: number | null }[]).filter((u) => u.rank !== null).length,
    );
    const text = JSON.stringify(mineA.body);
    expect(text).not.toContain(w.unitB.unitId);
    expect(text).not.toContain('城子街道');
    expect(Object.keys(mineA.body).sort()).toEqual(
      ['from', 'generatedAt', 'rankedUnits', 'row', 'timeZone', 'to'].sort(),
    );

    const mineB = await as(t, w.unitB.token).get(`/reports/digest/mine?${range}`).expect(200);
    expect(mineB.body.row).toEqual(rowOf(w.unitB.unitId));
    expect(JSON.stringify(mineB.body)).not.toContain(w.unitA.unitId);

    // The league table stays closed to units; the own-row route is for units only.
    await as(t, w.unitA.token).get(`/reports/digest?${range}`).expect(403);
    await as(t, w.admin.token).get(`/reports/digest/mine?${range}`).expect(403);
    await as(t, w.unitA.token).get('/reports/digest/mine?bogus=1').expect(400);
  });

  it('counts what a list filter matches, by status, scoped like the list', async () => {
    const filters = ['', 'status=assigned', 'hasPendingRequest=true', 'overdue=false', 'q=申请'];
    for (const who of [w.admin, w.unitA, w.unitB]) {
      for (const f of filters) {
        const counts = await as(t, who.token).get(`/tasks/counts?${f}`).expect(200);
        const list = await as(t, who.token).get(`/tasks?limit=200&${f}`).expect(200);
        const items = list.body.items as { status: string }[];
        expect(counts.body.total).toBe(items.length);
        for (const [status, n] of Object.entries(counts.body.byStatus as Record<string, number>)) {
          expect([f, status, n]).toEqual([
            f,
            status,
            items.filter((i) => i.status === status).length,
          ]);
        }
      }
    }
    await as(t, w.admin.token).get('/tasks/counts?status=nope').expect(400);
    await t.http().get('/api/v1/tasks/counts').expect(401);
  });

  it('refuses a JSON null body instead of reading it as an empty request', async () => {
    const before = (await t.ds.query('SELECT count(*)::int AS n FROM bulletins')) as {
      n: number;
    }[];
    const res = await t
      .http()
      .post('/api/v1/bulletins')
      .set('authorization', `Bearer ${w.admin.token}`)
      .set('content-type', 'application/json')
      .send('null')
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const after = (await t.ds.query('SELECT count(*)::int AS n FROM bulletins')) as { n: number }[];
    expect(after[0].n).toBe(before[0].n);
  });
});
