import { CategoriesService } from '../src/catalog/categories.service.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';
import { startTestApp, testEnv, type TestApp } from './support/test-app.js';

/**
 * The categories kept per process (speed, issue 15, `CategoriesService`): creates and
 * transitions read their category's rules from memory; an edit applies at once here and, through
 * the `categories_changed` notification, in every other process; and filling the cache inside a
 * transaction never needs a second connection.
 */
describe('the per-process category cache', () => {
  let a: TestApp;
  let b: TestApp;
  let w: LoopWorld;

  beforeAll(async () => {
    // Two processes of one deployment, with a pool of two connections each.
    const env = await testEnv({ DATABASE_POOL_SIZE: '2' });
    a = await startTestApp(env);
    b = await startTestApp(env);
    w = await buildLoopWorld(a);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const create = (t: TestApp, categoryId = w.categoryId) =>
    as(t, w.inspector.token).post('/tasks', { categoryId, siteId: w.siteA, description: '堆物' });

  it('fills itself inside the caller’s transaction: a full pool does not wait forever', async () => {
    a.app.get(CategoriesService).forget();
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 6 }, () => create(a)));
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('an edit through the API applies at once in the same process', async () => {
    const office = as(a, w.admin.token);
    const submitOnce = async (): Promise<string> => {
      const task = (await create(a).expect(201)).body as { id: string; version: number };
      const res = await as(a, w.unitA.token)
        .post(`/tasks/${task.id}/submissions`, { version: task.version, description: '已清理' })
        .expect(200);
      return res.body.status as string;
    };
    await office
      .patch(`/categories/${w.categoryId}`, {
        verificationPolicy: 'self_close',
        requiresAfterPhoto: false,
      })
      .expect(200);
    expect(await submitOnce()).toBe('closed');
    await office
      .patch(`/categories/${w.categoryId}`, { verificationPolicy: 'on_site' })
      .expect(200);
    expect(await submitOnce()).toBe('submitted');
  });

  it('a category deactivated in plain SQL is refused by every process within a second', async () => {
    const [{ id }] = (await a.ds.query(
      `INSERT INTO categories (code, name, group_name, measure_word, deadline_rule) VALUES ('ZZ09', '测试类别', '市容环境', '处', '{"kind":"work_days","days":3}') RETURNING id`,
    )) as { id: string }[];
    await create(a, id).expect(201);
    await create(b, id).expect(201);
    await a.ds.query(`UPDATE categories SET active = false WHERE id = $1`, [id]);
    const since = Date.now();
    for (const t of [a, b]) {
      for (;;) {
        const res = await create(t, id);
        if (res.status === 400) {
          expect(res.body.errors).toEqual([expect.objectContaining({ field: 'categoryId' })]);
          break;
        }
        expect(res.status).toBe(201);
        expect(Date.now() - since).toBeLessThan(1000);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  });
});
