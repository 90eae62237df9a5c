import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('marking duplicates', () => {
  let t: TestApp;
  let w: LoopWorld;
  beforeAll(async () => {
    t = await createTestApp({ DATABASE_POOL_SIZE: '20' });
    w = await buildLoopWorld(t);
  });
  afterAll(() => t.close());

  const task = async (): Promise<{ id: string; version: number }> => {
    const res = await as(t, w.inspector.token).post('/tasks', {
      categoryId: w.categoryId,
      siteId: w.siteA,
      description: '楼道堆物',
    });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, version: res.body.version as number };
  };

  it('A as a duplicate of B while B is marked a duplicate of A: one wins, never a deadlock', async () => {
    for (let round = 0; round < 10; round += 1) {
      const [a, b] = [await task(), await task()];
      const [ab, ba] = await Promise.all([
        as(t, w.admin.token).post(`/tasks/${a.id}/duplicate`, {
          duplicateOfId: b.id,
          version: a.version,
        }),
        as(t, w.admin.token).post(`/tasks/${b.id}/duplicate`, {
          duplicateOfId: a.id,
          version: b.version,
        }),
      ]);
      const statuses = [ab.status, ba.status].sort();
      expect({ round, statuses }).toEqual({ round, statuses: [200, 400] });
      const loser = ab.status === 200 ? ba : ab;
      expect(loser.body.errors[0].field).toBe('duplicateOfId');
      const rows = (await t.ds.query(
        'SELECT status, duplicate_of_id FROM tasks WHERE id = ANY($1) ORDER BY status',
        [[a.id, b.id]],
      )) as { status: string; duplicate_of_id: string | null }[];
      expect(rows.map((r) => r.status).sort()).toEqual(['assigned', 'cancelled']);
    }
  });
});
