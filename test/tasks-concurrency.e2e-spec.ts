import { as, buildLoopWorld, uploadPhoto, type LoopWorld } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('concurrency and retries', () => {
  let t: TestApp;
  let w: LoopWorld;
  beforeAll(async () => {
    t = await createTestApp({ DATABASE_POOL_SIZE: '20' });
    w = await buildLoopWorld(t);
  });
  afterAll(() => t.close());

  it('fifty concurrent checks on one task: exactly one applies, the rest get 409, the history shows one', async () => {
    const created = await as(t, w.inspector.token).post('/tasks', {
      categoryId: w.categoryId,
      siteId: w.siteA,
      description: '楼道堆物',
    });
    const photo = await uploadPhoto(t, w.unitA.token);
    const sub = await as(t, w.unitA.token).post(`/tasks/${created.body.id}/submissions`, {
      version: 1,
      description: '已清理',
      afterPhotoIds: [photo],
    });
    const version = sub.body.version as number;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        as(t, w.inspector.token).post(`/tasks/${created.body.id}/checks`, {
          version,
          result: i % 2 ? 'pass' : 'fail',
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    for (const r of results.filter((x) => x.status === 409))
      expect(r.body.code).toBe('VERSION_CONFLICT');
    const checks = await t.ds.query(
      'SELECT count(*)::int AS n FROM task_checks WHERE task_id = $1',
      [created.body.id],
    );
    expect(checks[0].n).toBe(1);
    const events = await t.ds.query(
      `SELECT count(*)::int AS n FROM task_events WHERE task_id = $1 AND action IN ('check_pass', 'check_fail')`,
      [created.body.id],
    );
    expect(events[0].n).toBe(1);
    const [row] = await t.ds.query('SELECT version FROM tasks WHERE id = $1', [created.body.id]);
    expect(row.version).toBe(version + 1);
  });

  it('an inspector’s phone retrying POST /tasks with one Idempotency-Key creates one task', async () => {
    const body = { categoryId: w.categoryId, siteId: w.siteA, description: '重试中的问题' };
    const send = () =>
      t
        .http()
        .post('/api/v1/tasks')
        .set('authorization', `Bearer ${w.inspector.token}`)
        .set('idempotency-key', 'phone-retry-0001')
        .send(body);
    const results = await Promise.all([send(), send(), send(), send(), send()]);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const late = await send();
    expect(late.body.id).toBe(results[0].body.id);
    const rows = await t.ds.query(
      `SELECT count(*)::int AS n FROM tasks WHERE description = '重试中的问题'`,
    );
    expect(rows[0].n).toBe(1);
    // The same key with another body is refused; another user's same key is independent.
    const reused = await t
      .http()
      .post('/api/v1/tasks')
      .set('authorization', `Bearer ${w.inspector.token}`)
      .set('idempotency-key', 'phone-retry-0001')
      .send({ ...body, description: '别的' });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const other = await t
      .http()
      .post('/api/v1/tasks')
      .set('authorization', `Bearer ${w.admin.token}`)
      .set('idempotency-key', 'phone-retry-0001')
      .send(body);
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(results[0].body.id);
  });

  it('POST /inspections is idempotent too, with its tasks', async () => {
    const body = {
      kind: 'inspection',
      activity: '社区创城督导检查',
      leadPersons: ['王建华'],
      heldOn: '2026-11-20',
      location: '东辛房街道',
      tasks: [{ categoryId: w.categoryId, siteId: w.siteA, description: '检查中发现' }],
    };
    const send = () =>
      t
        .http()
        .post('/api/v1/inspections')
        .set('authorization', `Bearer ${w.inspector.token}`)
        .set('idempotency-key', 'insp-retry-0001')
        .send(body);
    const results = await Promise.all([send(), send(), send()]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const [{ n }] = await t.ds.query(
      `SELECT count(*)::int AS n FROM tasks WHERE description = '检查中发现'`,
    );
    expect(n).toBe(1);
  });

  it('task numbers stay sequential with no gaps under concurrent creates, even when some fail', async () => {
    const before = await t.ds.query(`SELECT last_value FROM task_number_counters`);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        as(t, w.inspector.token).post('/tasks', {
          categoryId: w.categoryId,
          siteId: w.siteA,
          description: `并发 ${i}`,
          // Every fifth one names a photo that does not exist: it fails inside the transaction.
          ...(i % 5 === 0 ? { beforePhotoIds: ['00000000-0000-4000-8000-000000000000'] } : {}),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(24);
    expect(results.filter((r) => r.status === 400)).toHaveLength(6);
    const numbers = (await t.ds.query(`SELECT number FROM tasks ORDER BY number`)).map(
      (r: { number: string }) => Number(r.number.slice(-6)),
    );
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    const [after] = await t.ds.query(`SELECT last_value FROM task_number_counters`);
    expect(after.last_value - before[0].last_value).toBe(24);
  });
});
