import { createTestApp, type TestApp } from './support/test-app.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';

/**
 * Required text that is only blank (spaces, full-width spaces, line breaks, zero-width
 * characters) is a 400 naming the field; names are stored normalised on create and on update,
 * so an invisible character cannot make a second 东辛房街道.
 */
const BLANKS = ['   ', '\u3000\u3000', '\n\r\n\t', '\u200b', '\ufeff\u200b \u3000\u200d'];

describe('text fields', () => {
  let t: TestApp;
  let w: LoopWorld;
  let taskId: string;
  let taskVersion: number;
  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    const res = await as(t, w.inspector.token).post('/tasks', {
      categoryId: w.categoryId,
      siteId: w.siteA,
      description: '楼道堆物',
    });
    taskId = res.body.id as string;
    taskVersion = res.body.version as number;
  });
  afterAll(() => t.close());

  const inspection = (over: object): object => ({
    kind: 'inspection',
    activity: '督导检查',
    leadPersons: ['王建华'],
    heldOn: '2026-11-20',
    location: '永定镇',
    ...over,
  });

  it('refuses blank required text everywhere, naming the field', async () => {
    const cases: [string, 'post' | 'patch', string, (v: string) => object, string][] = [
      ['admin', 'post', '/units', (v) => ({ code: 'X1', name: v, kind: 'street' }), 'name'],
      ['admin', 'patch', `/units/${w.unitA.unitId}`, (v) => ({ name: v }), 'name'],
      ['admin', 'patch', `/categories/${w.categoryId}`, (v) => ({ name: v }), 'name'],
      ['admin', 'patch', `/sites/${w.siteA}`, (v) => ({ name: v }), 'name'],
      ['admin', 'post', '/api-keys', (v) => ({ unitId: w.unitA.unitId, name: v }), 'name'],
      [
        'inspector',
        'post',
        '/tasks',
        (v) => ({ categoryId: w.categoryId, siteId: w.siteA, description: v }),
        'description',
      ],
      ['inspector', 'post', '/inspections', (v) => inspection({ activity: v }), 'activity'],
      ['inspector', 'post', '/inspections', (v) => inspection({ leadPersons: [v] }), 'leadPersons'],
      [
        'admin',
        'post',
        `/tasks/${taskId}/cancellation`,
        (v) => ({ reason: v, version: taskVersion }),
        'reason',
      ],
    ];
    const failures: string[] = [];
    for (const [who, method, path, body, field] of cases) {
      const token = who === 'admin' ? w.admin.token : w.inspector.token;
      for (const blank of BLANKS) {
        const res = await as(t, token)[method](path, body(blank));
        const fields = ((res.body.errors ?? []) as { field: string }[]).map((e) => e.field);
        if (res.status !== 400 || !fields.includes(field)) {
          failures.push(`${method} ${path} ${JSON.stringify(blank)} → ${res.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
    const [task] = await t.ds.query('SELECT status FROM tasks WHERE id = $1', [taskId]);
    expect(task.status).not.toBe('cancelled');
  });

  it('stores names trimmed and without invisible characters, on create and on update', async () => {
    const created = await as(t, w.admin.token).post('/units', {
      code: 'YDZ',
      name: '\u3000永定\u200b镇 \n',
      kind: 'town',
    });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe('永定镇');
    const updated = await as(t, w.admin.token).patch(`/units/${created.body.id}`, {
      name: ' 永定镇人民政府\u3000',
    });
    expect(updated.status).toBe(200);
    expect(updated.body.name).toBe('永定镇人民政府');
    const [row] = await t.ds.query('SELECT name FROM units WHERE id = $1', [created.body.id]);
    expect(row.name).toBe('永定镇人民政府');
  });

  it('a look-alike name with a zero-width character is the same name', async () => {
    const res = await as(t, w.admin.token).post('/units', {
      code: 'DXF2',
      name: '东辛房\u200b街道',
      kind: 'street',
    });
    expect(res.status).toBe(409);
    expect(res.body.errors[0].field).toBe('name');
    const [{ n }] = await t.ds.query(
      `SELECT count(*)::int AS n FROM units WHERE name LIKE '东辛房%'`,
    );
    expect(n).toBe(1);
  });
});
