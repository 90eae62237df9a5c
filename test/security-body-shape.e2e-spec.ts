import { createTestApp, type TestApp } from './support/test-app.js';

/** A JSON object with `n` distinct short keys (base 36 keeps 100,000 of them under 1 MB). */
const manyKeys = (n: number, extra: Record<string, unknown> = {}): string => {
  const parts = Object.entries(extra).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  for (let i = 0; i < n; i++) parts.push(`"${i.toString(36)}":0`);
  return `{${parts.join(',')}}`;
};

describe('security: body shape', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const refreshTokens = async (): Promise<number> =>
    Number(
      ((await t.ds.query('SELECT count(*) AS n FROM refresh_tokens')) as { n: string }[])[0].n,
    );

  it('refuses a login body with 100,000 keys quickly and briefly, and signs no one in', async () => {
    const body = manyKeys(100_000, { username: 'admin', password: 'whatever-password' });
    expect(Buffer.byteLength(body)).toBeLessThan(t.config.http.bodyLimitBytes);
    const before = await refreshTokens();
    const started = Date.now();
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send(body);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(3000);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BODY_TOO_COMPLEX');
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(res.headers['content-length'] ?? res.text.length)).toBeLessThan(2048);
    expect(await refreshTokens()).toBe(before);
  });

  it('refuses 3,000 nested arrays in a field with 400, not a 500 stack overflow', async () => {
    const nested = '['.repeat(3000) + ']'.repeat(3000);
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send(`{"username":${nested},"password":"x"}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BODY_TOO_COMPLEX');
  });

  it('guards every route, not only login', async () => {
    const admin = await t.signIn('admin');
    const res = await t
      .http()
      .post('/api/v1/units')
      .set('authorization', `Bearer ${admin.token}`)
      .set('content-type', 'application/json')
      .send(
        `{"code":"X1","name":"甲","kind":"street","sortOrder":${'['.repeat(40)}${']'.repeat(40)}}`,
      );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BODY_TOO_COMPLEX');
    const [{ n }] = (await t.ds.query(`SELECT count(*) AS n FROM units WHERE code = 'X1'`)) as {
      n: string;
    }[];
    expect(Number(n)).toBe(0);
  });

  it('caps the list of validation errors and says how many there were', async () => {
    const admin = await t.signIn('admin');
    const res = await t
      .http()
      .post('/api/v1/units')
      .set('authorization', `Bearer ${admin.token}`)
      .set('content-type', 'application/json')
      .send(manyKeys(1500));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toHaveLength(50);
    expect(res.body.errorCount).toBeGreaterThan(1500);
    expect(res.text.length).toBeLessThan(20_000);
  });

  it('still accepts an ordinary body', async () => {
    const admin = await t.signIn('admin');
    await t
      .http()
      .post('/api/v1/units')
      .set('authorization', `Bearer ${admin.token}`)
      .send({ code: 'OK1', name: '正常街道', kind: 'street' })
      .expect(201);
  });
});
