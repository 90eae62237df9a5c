import { createTestApp, type TestApp } from './support/test-app.js';
import { buildLoopWorld, type LoopWorld } from './support/fixtures.js';

describe('Idempotency-Key compares the request in a canonical form', () => {
  let t: TestApp;
  let w: LoopWorld;
  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
  });
  afterAll(() => t.close());

  const post = (path: string, raw: string, key: string) =>
    t
      .http()
      .post(`/api/v1${path}`)
      .set('authorization', `Bearer ${w.inspector.token}`)
      .set('idempotency-key', key)
      .set('content-type', 'application/json')
      .send(raw);

  it('the same JSON in another key order is a retry, not another request', async () => {
    const first = await post(
      '/inspections',
      JSON.stringify({
        kind: 'inspection',
        activity: '督导检查',
        leadPersons: ['王建华'],
        heldOn: '2026-11-20',
        location: '永定镇',
        requirements: [{ heading: '一', body: '二' }],
        tasks: [{ categoryId: w.categoryId, siteId: w.siteA, description: '楼道堆物' }],
      }),
      'retry-key-0001',
    );
    expect(first.status).toBe(201);
    const retry = await post(
      '/inspections',
      JSON.stringify({
        tasks: [{ description: '楼道堆物', siteId: w.siteA, categoryId: w.categoryId }],
        requirements: [{ body: '二', heading: '一' }],
        location: '永定镇',
        heldOn: '2026-11-20',
        leadPersons: ['王建华'],
        activity: '督导检查',
        kind: 'inspection',
      }),
      'retry-key-0001',
    );
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    const other = await post(
      '/inspections',
      JSON.stringify({
        kind: 'inspection',
        activity: '另一次检查',
        leadPersons: ['王建华'],
        heldOn: '2026-11-20',
        location: '永定镇',
      }),
      'retry-key-0001',
    );
    expect(other.status).toBe(422);
    const [{ i, n }] = await t.ds.query(
      'SELECT (SELECT count(*)::int FROM inspections) AS i, (SELECT count(*)::int FROM tasks) AS n',
    );
    expect({ i, n }).toEqual({ i: 1, n: 1 });
  });
});
