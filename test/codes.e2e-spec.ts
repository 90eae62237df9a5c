import { createTestApp, type TestApp } from './support/test-app.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';

/** Units' systems know codes (`HJ07`, `DXF`), not our UUIDs: either names the same row. */
describe('units, categories and sites by code', () => {
  let t: TestApp;
  let w: LoopWorld;
  let codeA: string;
  let codeB: string;
  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    const rows = (await t.ds.query('SELECT id, code FROM units')) as { id: string; code: string }[];
    codeA = rows.find((r) => r.id === w.unitA.unitId)!.code;
    codeB = rows.find((r) => r.id === w.unitB.unitId)!.code;
  });
  afterAll(() => t.close());

  it('creates, dispatches and reassigns tasks with codes', async () => {
    const byCode = await as(t, w.inspector.token).post('/tasks', {
      categoryId: 'HJ07',
      siteId: w.siteA,
      description: '楼道堆物',
    });
    expect(byCode.status).toBe(201);
    expect(byCode.body.category.id).toBe(w.categoryId);

    const office = await as(t, w.admin.token).post('/tasks', {
      categoryId: 'HJ07',
      address: '新桥大街12号',
      description: '楼道堆物',
      unitId: codeB,
    });
    expect(office.status).toBe(201);
    const [row] = await t.ds.query('SELECT unit_id, category_id FROM tasks WHERE id = $1', [
      office.body.id,
    ]);
    expect(row).toEqual({ unit_id: w.unitB.unitId, category_id: w.categoryId });

    const pending = await as(t, w.inspector.token).post('/tasks', {
      categoryId: w.categoryId,
      siteId: w.siteNoUnit,
      description: '乱停车',
    });
    const dispatched = await as(t, w.admin.token).post(`/tasks/${pending.body.id}/dispatch`, {
      unitId: codeA,
      version: pending.body.version,
    });
    expect(dispatched.status).toBe(200);
    expect(dispatched.body.unit.id).toBe(w.unitA.unitId);
    const same = await as(t, w.admin.token).post(`/tasks/${pending.body.id}/reassignment`, {
      unitId: codeA,
      version: dispatched.body.version,
    });
    expect(same.status).toBe(400);
    expect(same.body.errors[0]).toMatchObject({ field: 'unitId', code: 'differentUnit' });
  });

  it('answers an unknown code as an unknown id, naming the field', async () => {
    const unknownId = '00000000-0000-4000-8000-000000000000';
    for (const [body, field] of [
      [{ categoryId: 'NOPE', siteId: w.siteA, description: 'x' }, 'categoryId'],
      [{ categoryId: 'HJ07', siteId: w.siteA, description: 'x', unitId: 'NOPE' }, 'unitId'],
    ] as const) {
      const res = await as(t, w.admin.token).post('/tasks', body);
      const byId = await as(t, w.admin.token).post('/tasks', { ...body, [field]: unknownId });
      // 400 for an unknown category; 422 (unitActive) for a unit work cannot be assigned to.
      expect([400, 422]).toContain(res.status);
      expect([res.status, res.body.code]).toEqual([byId.status, byId.body.code]);
      expect(res.body.errors[0].field).toBe(field);
      expect(res.body.errors).toEqual(byId.body.errors);
    }
    const bad = await as(t, w.admin.token).post('/tasks', {
      categoryId: 'not a code!',
      siteId: w.siteA,
      description: 'x',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'categoryId', code: 'isIdOrCode' });
  });

  it("names an inspection's participating units by code or id, in order", async () => {
    const body = {
      kind: 'inspection',
      activity: '督导检查',
      leadPersons: ['王建华'],
      heldOn: '2026-11-20',
      location: '永定镇',
    };
    const res = await as(t, w.inspector.token).post('/inspections', {
      ...body,
      participatingUnitIds: [codeB, w.unitA.unitId],
    });
    expect(res.status).toBe(201);
    expect(res.body.participatingUnits.map((u: { id: string }) => u.id)).toEqual([
      w.unitB.unitId,
      w.unitA.unitId,
    ]);
    const unknown = await as(t, w.inspector.token).post('/inspections', {
      ...body,
      participatingUnitIds: [codeA, 'NOPE'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('participatingUnitIds');
  });

  it('filters the task list and API keys by code', async () => {
    const all = await as(t, w.admin.token).get('/tasks?categoryId=HJ07&limit=200');
    const byId = await as(t, w.admin.token).get(`/tasks?categoryId=${w.categoryId}&limit=200`);
    expect(all.status).toBe(200);
    expect(all.body.items.length).toBeGreaterThan(0);
    expect(all.body.items).toEqual(byId.body.items);
    const ofB = await as(t, w.admin.token).get(`/tasks?unitId=${codeB}`);
    expect(ofB.body.items.map((i: { unit: { id: string } }) => i.unit.id)).toEqual([
      w.unitB.unitId,
    ]);
    expect((await as(t, w.admin.token).get('/tasks?unitId=NOPE')).body.items).toEqual([]);

    const key = await as(t, w.admin.token).post('/api-keys', { unitId: codeA, name: '网格化平台' });
    expect(key.status).toBe(201);
    expect(key.body.unitId).toBe(w.unitA.unitId);
    const keys = await as(t, w.admin.token).get(`/api-keys?unitId=${codeA}`);
    expect(keys.body.items.map((k: { id: string }) => k.id)).toEqual([key.body.id]);
  });

  it('gives a site a code and takes it wherever a site id is taken', async () => {
    const site = await as(t, w.admin.token).post('/sites', {
      code: 'XS-NEW_01',
      name: '新桥大街',
      kind: '主干道',
      defaultUnitId: w.unitB.unitId,
    });
    expect(site.status).toBe(201);
    expect(site.body.code).toBe('XS-NEW_01');
    const uncoded = await as(t, w.admin.token).get(`/sites/${w.siteA}`);
    expect(uncoded.body.code).toBeNull();

    const task = await as(t, w.inspector.token).post('/tasks', {
      categoryId: 'HJ07',
      siteId: 'XS-NEW_01',
      description: '道路积水',
    });
    expect(task.status).toBe(201);
    const [row] = await t.ds.query('SELECT site_id, unit_id FROM tasks WHERE id = $1', [
      task.body.id,
    ]);
    expect(row).toEqual({ site_id: site.body.id, unit_id: w.unitB.unitId });

    const byCode = await as(t, w.admin.token).get('/tasks?siteId=XS-NEW_01');
    expect(byCode.status).toBe(200);
    expect(byCode.body.items.map((i: { id: string }) => i.id)).toEqual([task.body.id]);
    const byId = await as(t, w.admin.token).get(`/tasks?siteId=${site.body.id}`);
    expect(byId.body.items).toEqual(byCode.body.items);
    expect((await as(t, w.admin.token).get('/tasks?siteId=NOPE')).body.items).toEqual([]);

    const unknown = await as(t, w.inspector.token).post('/tasks', {
      categoryId: 'HJ07',
      siteId: 'NOPE',
      description: 'x',
    });
    const unknownId = await as(t, w.inspector.token).post('/tasks', {
      categoryId: 'HJ07',
      siteId: '00000000-0000-4000-8000-000000000000',
      description: 'x',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'siteId', code: 'siteExists' });
    expect(unknown.body.errors).toEqual(unknownId.body.errors);

    const inspection = await as(t, w.inspector.token).post('/inspections', {
      kind: 'inspection',
      activity: '督导检查',
      leadPersons: ['王建华'],
      heldOn: '2026-11-21',
      location: '永定镇',
      siteIds: ['XS-NEW_01', w.siteA],
    });
    expect(inspection.status).toBe(201);
    expect(inspection.body.sitesVisited.map((s: { id: string }) => s.id)).toEqual([
      site.body.id,
      w.siteA,
    ]);
    const noSite = await as(t, w.inspector.token).post('/inspections', {
      kind: 'inspection',
      activity: '督导检查',
      leadPersons: ['王建华'],
      heldOn: '2026-11-21',
      location: '永定镇',
      siteIds: ['NOPE'],
    });
    expect(noSite.status).toBe(400);
    expect(noSite.body.errors[0].field).toBe('siteIds');
  });

  it('answers a duplicate site code with 409 naming code, and a malformed one with 400', async () => {
    const dup = await as(t, w.admin.token).post('/sites', {
      code: 'XS-NEW_01',
      name: '另一个点位',
      kind: '社区',
    });
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0]).toMatchObject({ field: 'code', code: 'unique' });
    const onUpdate = await as(t, w.admin.token).patch(`/sites/${w.siteA}`, { code: 'XS-NEW_01' });
    expect(onUpdate.status).toBe(409);
    expect(onUpdate.body.errors[0].field).toBe('code');
    const bad = await as(t, w.admin.token).post('/sites', {
      code: '00000000-0000-4000-8000-000000000000',
      name: '另一个点位',
      kind: '社区',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('code');
  });
});
