import { createTestApp, type TestApp } from './support/test-app.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';

/**
 * Keyset cursors keep Postgres timestamps to the microsecond: rows written within one
 * millisecond (a batch, a busy minute) are all reachable page by page, none skipped or repeated.
 */
describe('keyset cursors', () => {
  let t: TestApp;
  let w: LoopWorld;
  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
  });
  afterAll(() => t.close());

  /** Follows nextCursor with limit=1 and returns the ids in the order seen. */
  async function walk(path: string): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 100; i += 1) {
      const sep = path.includes('?') ? '&' : '?';
      const url: string = `${path}${sep}limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await as(t, w.admin.token).get(url);
      expect(res.status).toBe(200);
      seen.push(...(res.body.items as { id: string }[]).map((x) => x.id));
      cursor = res.body.nextCursor as string | null;
      if (!cursor) break;
    }
    return seen;
  }

  it('GET /api-keys reaches every key created in the same millisecond', async () => {
    await t.ds.query(
      `INSERT INTO api_keys (unit_id, name, prefix, key_hash, created_at)
       SELECT $1, 'k' || g, 'p' || g, repeat('0', 64), '2026-11-20T02:00:00.000Z'::timestamptz + g * interval '1 microsecond'
         FROM generate_series(1, 12) g`,
      [w.unitA.unitId],
    );
    const ids = (await t.ds.query(`SELECT id FROM api_keys ORDER BY created_at DESC, id DESC`)) as {
      id: string;
    }[];
    expect(await walk('/api-keys')).toEqual(ids.map((r) => r.id));
  });

  it('GET /tasks in every time order reaches every task within one millisecond', async () => {
    for (let i = 0; i < 6; i += 1) {
      await as(t, w.admin.token)
        .post('/tasks', { categoryId: w.categoryId, siteId: w.siteA, description: `问题${i}` })
        .expect(201);
    }
    await t.ds.query(
      `UPDATE tasks t SET created_at = '2026-11-20T02:00:00.000Z'::timestamptz + n.i * interval '1 microsecond',
                          deadline = '2026-12-20T02:00:00.000Z'::timestamptz + n.i * interval '1 microsecond'
         FROM (SELECT id, row_number() OVER (ORDER BY random()) AS i FROM tasks) n WHERE n.id = t.id`,
    );
    const byCreated = (await t.ds.query(
      `SELECT id FROM tasks ORDER BY created_at DESC, id DESC`,
    )) as { id: string }[];
    const byDeadline = (await t.ds.query(`SELECT id FROM tasks ORDER BY deadline, id`)) as {
      id: string;
    }[];
    expect(await walk('/tasks')).toEqual(byCreated.map((r) => r.id));
    expect(await walk('/tasks?sort=deadline')).toEqual(byDeadline.map((r) => r.id));
  });

  it('GET /admin/webhook-deliveries follows its cursor', async () => {
    await t.ds.query(
      `INSERT INTO webhook_deliveries (unit_id, delivery_key, event_type, payload, status, created_at)
       SELECT $1, 'k' || g, 'task.assigned', '{}', 'dead', '2026-11-20T02:00:00.000Z'::timestamptz + g * interval '1 microsecond'
         FROM generate_series(1, 7) g`,
      [w.unitA.unitId],
    );
    const ids = (await t.ds.query(
      `SELECT id FROM webhook_deliveries ORDER BY created_at DESC, id DESC`,
    )) as { id: string }[];
    expect(await walk('/admin/webhook-deliveries?status=dead')).toEqual(ids.map((r) => r.id));
  });

  it('a cursor whose timestamp is not one the server wrote is a 400', async () => {
    const forged = Buffer.from(JSON.stringify(['2026-11-20', w.unitA.unitId])).toString(
      'base64url',
    );
    for (const path of ['/api-keys', '/tasks?sort=deadline', '/admin/webhook-deliveries']) {
      const res = await as(t, w.admin.token).get(
        `${path}${path.includes('?') ? '&' : '?'}cursor=${forged}`,
      );
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
  });
});
