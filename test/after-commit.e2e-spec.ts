import { jest } from '@jest/globals';
import { TaskReader } from '../src/tasks/task-reader.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * A failure after COMMIT must not report the write as failed: the client would retry and, without
 * an Idempotency-Key, create the task twice. The read-back is made to fail the way a dropped
 * connection does (the database itself stays real).
 */
const KEY = '6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f';

describe('POST /tasks when the read-back after COMMIT fails', () => {
  let t: TestApp;
  let w: LoopWorld;
  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
  });
  afterAll(() => t.close());

  it('answers 503 with Retry-After and the created id; the task exists once; a keyed retry returns it', async () => {
    const reader = t.app.get(TaskReader);
    const spy = jest
      .spyOn(reader, 'detail')
      .mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
    const body = { categoryId: w.categoryId, siteId: w.siteA, description: '提交后读取失败' };
    const first = await as(t, w.inspector.token).post('/tasks', body).set('idempotency-key', KEY);
    spy.mockRestore();

    expect(first.status).toBe(503);
    expect(first.body.code).toBe('COMMITTED_READ_FAILED');
    expect(Number(first.headers['retry-after'])).toBeGreaterThan(0);
    expect(first.body.location).toBe(`/api/v1/tasks/${first.body.id}`);
    const rows = (await t.ds.query(`SELECT id FROM tasks WHERE description = $1`, [
      body.description,
    ])) as { id: string }[];
    expect(rows.map((r) => r.id)).toEqual([first.body.id]);

    const retry = await as(t, w.inspector.token).post('/tasks', body).set('idempotency-key', KEY);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    const after = (await t.ds.query(`SELECT count(*)::int AS n FROM tasks WHERE description = $1`, [
      body.description,
    ])) as { n: number }[];
    expect(after[0].n).toBe(1);
  });

  it('a lost database connection anywhere else is a 503 DATABASE_UNAVAILABLE, not a 500', async () => {
    const reader = t.app.get(TaskReader);
    const spy = jest.spyOn(reader, 'list').mockRejectedValueOnce(
      Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
      }),
    );
    const res = await as(t, w.inspector.token).get('/tasks');
    spy.mockRestore();
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('DATABASE_UNAVAILABLE');
    expect(res.headers['retry-after']).toBe('5');
  });
});
