import type { QueryRunner } from 'typeorm';
import { PrincipalCache } from '../src/auth/principal-cache.js';
import { startTestApp, testEnv, type TestApp } from './support/test-app.js';

/**
 * Who a token or API key is, kept per process for at most a second (speed, issue 15,
 * `src/auth/principal-cache.ts`): deactivation, a role change, a revoked key or a deactivated
 * unit still apply within a second — in the process that made the change, in another process of
 * the same deployment, when the change bypassed the API (plain SQL), and when a process missed
 * the change's notification.
 */
describe('the per-process cache of callers', () => {
  let a: TestApp;
  let b: TestApp;
  let adminToken: string;

  beforeAll(async () => {
    // Two processes of one deployment: one database, one Redis prefix.
    const env = await testEnv();
    a = await startTestApp(env);
    b = await startTestApp(env);
    adminToken = (await a.signIn('admin')).token;
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const me = (t: TestApp, token: string) =>
    t.http().get('/api/v1/me').set('authorization', `Bearer ${token}`);

  /**
   * Milliseconds from `since` to the sending of the first request `t` refuses with `token` (401),
   * polling every 10 ms for up to 3 s.
   */
  async function refusedAfter(t: TestApp, token: string, since: number): Promise<number> {
    for (;;) {
      const sent = Date.now();
      const res = await me(t, token);
      if (res.status === 401) return sent - since;
      expect(res.status).toBe(200);
      if (Date.now() - since > 3000) throw new Error('still accepted after 3 s');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('does not read the user on every request', async () => {
    const { token } = await a.signIn('inspector');
    await me(a, token).expect(200);
    const runner = a.ds.createQueryRunner();
    const proto = Object.getPrototypeOf(runner) as QueryRunner;
    await runner.release();
    const original = proto.query;
    const reads: string[] = [];
    proto.query = function (this: QueryRunner, sql: string, ...rest: unknown[]) {
      if (/from "users"/i.test(sql)) reads.push(sql);
      return (original as (...x: unknown[]) => Promise<unknown>).call(this, sql, ...rest);
    } as QueryRunner['query'];
    try {
      for (let i = 0; i < 20; i++) await me(a, token).expect(200);
    } finally {
      proto.query = original;
    }
    // 20 requests within well under a second or two: at most a re-read per elapsed second.
    expect(reads.length).toBeLessThanOrEqual(2);
  });

  it('deactivating a user applies at once in the same process', async () => {
    const { token, user } = await a.signIn('inspector');
    await me(a, token).expect(200);
    await a
      .http()
      .patch(`/api/v1/users/${user.id}`)
      .set('authorization', `Bearer ${adminToken}`)
      .send({ active: false })
      .expect(200);
    const res = await me(a, token);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('deactivating a user through one process applies in another within a second', async () => {
    const { token, user } = await a.signIn('inspector');
    await me(b, token).expect(200); // now kept by b
    const since = Date.now();
    await a
      .http()
      .patch(`/api/v1/users/${user.id}`)
      .set('authorization', `Bearer ${adminToken}`)
      .send({ active: false })
      .expect(200);
    expect(await refusedAfter(b, token, since)).toBeLessThanOrEqual(1000);
  });

  it('a change made in plain SQL applies in every process within a second', async () => {
    const { token, user } = await a.signIn('admin');
    await a.http().get('/api/v1/users').set('authorization', `Bearer ${token}`).expect(200);
    await b.http().get('/api/v1/users').set('authorization', `Bearer ${token}`).expect(200);
    // Demoted outside the API: the office-only list is refused within a second.
    await a.ds.query(`UPDATE users SET role = 'inspector' WHERE id = $1`, [user.id]);
    const since = Date.now();
    for (const t of [a, b]) {
      for (;;) {
        const res = await t.http().get('/api/v1/users').set('authorization', `Bearer ${token}`);
        if (res.status === 403) break;
        expect(res.status).toBe(200);
        expect(Date.now() - since).toBeLessThanOrEqual(1000);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    expect(Date.now() - since).toBeLessThanOrEqual(1000);
    await a.ds.query(`UPDATE users SET active = false WHERE id = $1`, [user.id]);
    expect(await refusedAfter(b, token, Date.now())).toBeLessThanOrEqual(1000);
  });

  it('a revoked API key and a deactivated unit are refused by another process within a second', async () => {
    const unit = await a.createUnit();
    const created = await a
      .http()
      .post('/api/v1/api-keys')
      .set('authorization', `Bearer ${adminToken}`)
      .send({ unitId: unit.id, name: '网格平台' })
      .expect(201);
    const key = created.body.key as string;
    await me(b, key).expect(200);
    let since = Date.now();
    await a
      .http()
      .delete(`/api/v1/api-keys/${created.body.id}`)
      .set('authorization', `Bearer ${adminToken}`)
      .expect(200);
    expect(await refusedAfter(b, key, since)).toBeLessThanOrEqual(1000);

    const { token } = await a.signIn('unit', { unitId: unit.id });
    await me(b, token).expect(200);
    since = Date.now();
    await a
      .http()
      .patch(`/api/v1/units/${unit.id}`)
      .set('authorization', `Bearer ${adminToken}`)
      .send({ active: false })
      .expect(200);
    expect(await refusedAfter(b, token, since)).toBeLessThanOrEqual(1000);
  });

  it('a process that missed the notification still refuses within a second', async () => {
    const { token, user } = await a.signIn('inspector');
    await me(b, token).expect(200);
    // Cut every process's listening connection, then deactivate while nobody listens.
    await a.ds.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND application_name LIKE 'chuangcheng-%-listen'`,
    );
    await me(b, token).expect(200); // kept again, with no one to say it changed
    const since = Date.now();
    await a.ds.query(`UPDATE users SET active = false WHERE id = $1`, [user.id]);
    // The kept entry outlives the change by under TTL_MS; the listener is back only ~1 s later.
    expect(PrincipalCache.TTL_MS).toBeLessThan(1000);
    expect(await refusedAfter(b, token, since)).toBeLessThanOrEqual(1000);
  });
});
