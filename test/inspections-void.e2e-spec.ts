import { shanghaiDate, addDays } from '../src/reports/shanghai-time.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';

describe('inspections: no future days, voiding by the office', () => {
  let t: TestApp;
  let w: LoopWorld;
  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
  });
  afterAll(() => t.close());

  const body = (heldOn: string, activity = '公园广场创城督导检查'): object => ({
    kind: 'inspection',
    activity,
    leadPersons: ['王建华'],
    heldOn,
    location: '永定镇',
  });

  it('refuses a visit on a day still to come, on create and on update', async () => {
    const today = shanghaiDate(new Date());
    const tomorrow = addDays(today, 1);
    const future = await as(t, w.inspector.token).post('/inspections', body(tomorrow));
    expect(future.status).toBe(400);
    expect(future.body.errors[0]).toMatchObject({ field: 'heldOn', code: 'notFuture' });
    const ok = await as(t, w.inspector.token).post('/inspections', body(today));
    expect(ok.status).toBe(201);
    const moved = await as(t, w.inspector.token).patch(`/inspections/${ok.body.id}`, {
      heldOn: addDays(today, 30),
    });
    expect(moved.status).toBe(400);
    expect(moved.body.errors[0].field).toBe('heldOn');
    const [row] = await t.ds.query(
      `SELECT to_char(held_on, 'YYYY-MM-DD') AS d FROM inspections WHERE id = $1`,
      [ok.body.id],
    );
    expect(row.d).toBe(today);
    const [{ n }] = await t.ds.query('SELECT count(*)::int AS n FROM inspections');
    expect(n).toBe(1);
  });

  it('voids a wrong inspection: kept and marked, out of the 快报, its tasks untouched', async () => {
    const kept = await as(t, w.inspector.token).post('/inspections', body('2026-11-10', '检查甲'));
    const wrong = await as(t, w.inspector.token).post('/inspections', {
      ...body('2026-11-11', '检查乙'),
      tasks: [{ categoryId: w.categoryId, siteId: w.siteA, description: '楼道堆物' }],
    });
    expect([kept.status, wrong.status]).toEqual([201, 201]);
    const id = wrong.body.id as string;

    expect(
      (await as(t, w.inspector.token).post(`/inspections/${id}/void`, { reason: '录错' })).status,
    ).toBe(403);
    expect((await as(t, w.admin.token).post(`/inspections/${id}/void`, {})).status).toBe(400);

    const res = await as(t, w.admin.token).post(`/inspections/${id}/void`, {
      reason: ' 重复录入 ',
    });
    expect(res.status).toBe(200);
    expect(res.body.voided).toEqual({ at: expect.any(String), by: w.admin.id, reason: '重复录入' });

    const [row] = await t.ds.query(
      'SELECT voided_at, voided_by, void_reason FROM inspections WHERE id = $1',
      [id],
    );
    expect(row).toMatchObject({ voided_by: w.admin.id, void_reason: '重复录入' });
    expect(row.voided_at).toBeInstanceOf(Date);

    // Marked in lists, not hidden.
    const list = await as(t, w.admin.token).get('/inspections');
    const byId = new Map(
      (list.body.items as { id: string; voided: unknown }[]).map((i) => [i.id, i]),
    );
    expect(byId.get(id)?.voided).toMatchObject({ reason: '重复录入' });
    expect(byId.get(kept.body.id)?.voided).toBeNull();

    // Once voided, it stays as it was.
    const again = await as(t, w.admin.token).post(`/inspections/${id}/void`, { reason: '再次' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INSPECTION_VOIDED');
    const edit = await as(t, w.admin.token).patch(`/inspections/${id}`, { activity: '改' });
    expect(edit.status).toBe(409);

    // Its task keeps its own lifecycle; no new task may be filed under it.
    const [task] = await t.ds.query('SELECT status FROM tasks WHERE inspection_id = $1', [id]);
    expect(task.status).toBe('assigned');
    const filed = await as(t, w.inspector.token).post('/tasks', {
      inspectionId: id,
      categoryId: w.categoryId,
      siteId: w.siteA,
      description: '又一处',
    });
    expect(filed.status).toBe(400);
    expect(filed.body.errors[0].field).toBe('inspectionId');

    // The 快报 of those days writes the kept one only.
    const bulletin = await as(t, w.admin.token).post('/bulletins', {
      periodStart: '2026-11-09',
      periodEnd: '2026-11-15',
    });
    expect(bulletin.status).toBe(201);
    const keys = (bulletin.body.sections[0].paragraphs as { key: string }[]).map((p) => p.key);
    expect(keys).toEqual([kept.body.id]);
  });
});
