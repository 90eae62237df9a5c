import { seedCategories } from '../src/catalog/category-seed.js';
import { seedChecklists } from '../src/checklists/checklist-seed.js';
import { DeadlineService } from '../src/tasks/deadline/deadline.service.js';
import type { DeadlineRule } from '../src/tasks/deadline/deadline.js';
import { shanghaiDate } from '../src/reports/shanghai-time.js';
import { as, buildLoopWorld, uploadPhoto, type LoopWorld } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface Item {
  id: string;
  position: number;
  text: string;
  categoryId: string;
  categoryCode: string;
  active: boolean;
  used: boolean;
}
interface Checklist {
  id: string;
  siteKind: string;
  name: string;
  items: Item[];
}
type Answer = {
  itemId: string;
  result: 'pass' | 'fail' | 'na';
  note?: string;
  attachmentIds?: string[];
};

/**
 * 点位检查清单 (issue 16): the default lists from config/checklists.json, a walk item by item that
 * raises exactly the failed items' tasks through the task path (category, site, unit, deadline),
 * refusals that write nothing, Idempotency-Key, roles, and the office's edits used by the next walk.
 */
describe('checklists and walks', () => {
  let t: TestApp;
  let w: LoopWorld;
  let community: Checklist;
  let market: Checklist;
  let marketSite: string;
  let inspectionId: string;

  const admin = () => as(t, w.admin.token);
  const inspector = () => as(t, w.inspector.token);
  const n = async (sql: string, params: unknown[] = []): Promise<number> =>
    ((await t.ds.query(sql, params)) as { n: number }[])[0].n;
  const written = async () => ({
    walks: await n('SELECT count(*)::int AS n FROM checklist_walks'),
    results: await n('SELECT count(*)::int AS n FROM checklist_walk_results'),
    tasks: await n('SELECT count(*)::int AS n FROM tasks'),
  });
  const active = (c: Checklist) => c.items.filter((i) => i.active);
  const allPass = (c: Checklist): Answer[] =>
    active(c).map((i) => ({ itemId: i.id, result: 'pass' }));
  const photo = () => uploadPhoto(t, w.inspector.token);
  const walk = (body: object, key?: string, who = inspector(), inspection = inspectionId) => {
    const req = who.post(`/inspections/${inspection}/checklist-walks`, body);
    return key ? req.set('idempotency-key', key) : req;
  };
  const reload = async (kind: string): Promise<Checklist> => {
    const res = await admin()
      .get(`/checklists?siteKind=${encodeURIComponent(kind)}`)
      .expect(200);
    return (res.body.items as Checklist[])[0];
  };

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    // What the start does: the default categories, then the default checklists.
    await seedCategories(t.ds, t.config.configDir);
    expect(await seedChecklists(t.ds, t.config.configDir)).toBe(6);
    expect(await seedChecklists(t.ds, t.config.configDir)).toBe(0);
    [{ id: marketSite }] = (await t.ds.query(
      `INSERT INTO sites (name, kind, default_unit_id) VALUES ('城子农贸市场', '农贸市场', $1) RETURNING id`,
      [w.unitB.unitId],
    )) as { id: string }[];
    const insp = await inspector().post('/inspections', {
      kind: 'inspection',
      activity: '社区和农贸市场创城督导检查',
      leadPersons: ['王建华'],
      heldOn: shanghaiDate(new Date()),
      location: '东辛房街道',
    });
    expect(insp.status).toBe(201);
    inspectionId = insp.body.id as string;
    community = await reload('社区');
    market = await reload('农贸市场');
  });
  afterAll(() => t.close());

  it('seeds one checklist per site kind from config, items in order with their categories', async () => {
    const res = await inspector().get('/checklists').expect(200);
    expect((res.body.items as Checklist[]).map((c) => c.siteKind).sort()).toEqual(
      ['公园广场', '农贸市场', '医院', '学校周边', '社区', '背街小巷'].sort(),
    );
    expect(community.items[0]).toMatchObject({
      position: 1,
      text: '楼道内无堆物堆料、无杂物占用',
      categoryCode: 'HJ07',
      categoryId: w.categoryId,
      active: true,
      used: false,
    });
    for (const c of res.body.items as Checklist[]) {
      expect(c.items.length).toBeGreaterThanOrEqual(8);
      expect(c.items.map((i) => i.position)).toEqual(c.items.map((_, i) => i + 1));
    }
  });

  it('a walk with pass, fail and na raises exactly the failed items’ tasks, routed as POST /tasks', async () => {
    const [p1, p2] = [await photo(), await photo()];
    const [first, second, third] = active(community);
    const results: Answer[] = allPass(community);
    results[0] = {
      itemId: first.id,
      result: 'fail',
      note: '3单元楼道堆放纸箱',
      attachmentIds: [p1],
    };
    results[1] = { itemId: second.id, result: 'fail', attachmentIds: [p2] };
    results[2] = { itemId: third.id, result: 'na' };
    const before = await written();

    const res = await walk({ siteId: w.siteA, results });
    expect(res.status).toBe(201);
    expect(res.body.counts).toEqual({ pass: results.length - 3, fail: 2, na: 1 });
    expect(res.body.site).toMatchObject({ id: w.siteA, kind: '社区' });
    const raised = (
      res.body.results as { itemId: string; taskId: string | null; taskNumber: string | null }[]
    ).filter((r) => r.taskId);
    expect(raised.map((r) => r.itemId)).toEqual([first.id, second.id]);
    expect(raised.every((r) => /^ZG-\d{4}-\d{6}$/.test(r.taskNumber ?? ''))).toBe(true);

    expect(await written()).toEqual({
      walks: before.walks + 1,
      results: before.results + results.length,
      tasks: before.tasks + 2,
    });
    const tasks = (await t.ds.query(
      `SELECT t.id, t.inspection_id, t.category_id, t.site_id, t.unit_id, t.status, t.description,
              t.deadline, t.assigned_at, c.code, c.deadline_rule,
              array(SELECT attachment_id::text FROM task_attachments a WHERE a.task_id = t.id AND a.role = 'before') AS photos
         FROM tasks t JOIN categories c ON c.id = t.category_id
        WHERE t.id = ANY($1::uuid[]) ORDER BY c.code DESC`,
      [raised.map((r) => r.taskId)],
    )) as {
      inspection_id: string;
      category_id: string;
      site_id: string;
      unit_id: string;
      status: string;
      description: string;
      deadline: Date;
      assigned_at: Date;
      code: string;
      deadline_rule: DeadlineRule;
      photos: string[];
    }[];
    expect(tasks.map((x) => x.code)).toEqual(['HJ07', 'GG01']);
    const deadlines = t.app.get(DeadlineService);
    for (const task of tasks) {
      expect(task).toMatchObject({
        inspection_id: inspectionId,
        site_id: w.siteA,
        unit_id: w.unitA.unitId,
        status: 'assigned',
      });
      expect(task.deadline.toISOString()).toBe(
        deadlines.deadlineFrom(task.assigned_at, task.deadline_rule).toISOString(),
      );
    }
    expect(tasks[0].description).toBe(
      '清单检查未达标：楼道内无堆物堆料、无杂物占用。3单元楼道堆放纸箱',
    );
    expect(tasks[0].photos).toEqual([p1]);
    expect(tasks[1].photos).toEqual([p2]);
    // The walk's rows: a task only on the fails; the site is now one the inspection visited.
    const rows = (await t.ds.query(
      `SELECT result, task_id FROM checklist_walk_results WHERE walk_id = $1 ORDER BY position`,
      [res.body.id],
    )) as { result: string; task_id: string | null }[];
    expect(rows.filter((r) => r.task_id).map((r) => r.result)).toEqual(['fail', 'fail']);
    expect(
      await n(
        'SELECT count(*)::int AS n FROM inspection_sites WHERE inspection_id = $1 AND site_id = $2',
        [inspectionId, w.siteA],
      ),
    ).toBe(1);
    const insp = await inspector().get(`/inspections/${inspectionId}`).expect(200);
    expect((insp.body.sitesVisited as { id: string }[]).map((s) => s.id)).toEqual([w.siteA]);
  });

  it('routes a market’s fails to the market’s unit, and the walks are listed per inspection and per site', async () => {
    const results = allPass(market);
    results[4] = { itemId: results[4].itemId, result: 'fail', attachmentIds: [await photo()] };
    const res = await walk({ siteId: marketSite, results });
    expect(res.status).toBe(201);
    const [task] = (await t.ds.query(
      `SELECT t.unit_id, c.code FROM tasks t JOIN categories c ON c.id = t.category_id WHERE t.id = $1`,
      [res.body.results[4].taskId],
    )) as { unit_id: string; code: string }[];
    expect(task).toEqual({ unit_id: w.unitB.unitId, code: 'SS02' });

    const ofInspection = await admin()
      .get(`/inspections/${inspectionId}/checklist-walks`)
      .expect(200);
    expect((ofInspection.body.items as { site: { id: string } }[]).map((x) => x.site.id)).toEqual([
      marketSite,
      w.siteA,
    ]);
    const ofSite = await inspector().get(`/sites/${marketSite}/checklist-walks`).expect(200);
    expect(ofSite.body.items).toHaveLength(1);
    expect(ofSite.body.items[0].results[4]).toMatchObject({
      result: 'fail',
      taskNumber: expect.any(String),
    });
    const visited = (await t.ds.query(
      `SELECT site_id FROM inspection_sites WHERE inspection_id = $1 ORDER BY position`,
      [inspectionId],
    )) as { site_id: string }[];
    expect(visited.map((v) => v.site_id)).toEqual([w.siteA, marketSite]);
  });

  it('refuses a fail without a photo naming the field, and writes nothing', async () => {
    const results = allPass(community);
    results[3] = { itemId: results[3].itemId, result: 'fail', note: '没拍照' };
    const before = await written();
    const res = await walk({ siteId: w.siteA, results });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors[0]).toMatchObject({
      field: 'results.3.attachmentIds',
      code: 'photoRequiredForFail',
    });
    expect(await written()).toEqual(before);
  });

  it('refuses an item of another kind’s checklist, an unanswered item, a repeat and an unknown result', async () => {
    const before = await written();
    const foreign = [...allPass(community), { itemId: market.items[0].id, result: 'pass' }];
    const r1 = await walk({ siteId: w.siteA, results: foreign });
    expect(r1.status).toBe(400);
    expect(r1.body.errors[0]).toMatchObject({
      field: `results.${foreign.length - 1}.itemId`,
      code: 'itemInChecklist',
    });
    const r2 = await walk({ siteId: w.siteA, results: allPass(community).slice(1) });
    expect(r2.status).toBe(400);
    expect(r2.body.errors[0]).toMatchObject({ field: 'results', code: 'allItemsAnswered' });
    const r3 = await walk({
      siteId: w.siteA,
      results: [...allPass(community), allPass(community)[0]],
    });
    expect(r3.body.errors[0]).toMatchObject({ code: 'answeredOnce' });
    const r4 = await walk({
      siteId: w.siteA,
      results: [{ itemId: community.items[0].id, result: 'ok' }],
    });
    expect(r4.status).toBe(400);
    expect(r4.body.errors[0].field).toBe('results.0.result');
    // A site kind without a checklist.
    const [{ id: road }] = (await t.ds.query(
      `INSERT INTO sites (name, kind) VALUES ('新桥大街', '主干道') RETURNING id`,
    )) as { id: string }[];
    const r6 = await walk({ siteId: road, results: [] });
    expect(r6.status).toBe(400);
    expect(r6.body.errors[0]).toMatchObject({ field: 'siteId', code: 'hasChecklist' });
    // A checklist whose items are all deactivated asks nothing: refused like none.
    const [{ id: school }] = (await t.ds.query(
      `INSERT INTO sites (name, kind) VALUES ('实验小学', '学校周边') RETURNING id`,
    )) as { id: string }[];
    await t.ds.query(
      `UPDATE checklist_items SET active = false WHERE checklist_id = (SELECT id FROM checklists WHERE site_kind = '学校周边')`,
    );
    const r7 = await walk({ siteId: school, results: [] });
    expect(r7.status).toBe(400);
    expect(r7.body.errors[0]).toMatchObject({ field: 'siteId', code: 'hasChecklist' });
    expect((await written()).tasks).toBe(before.tasks);
  });

  it('a retry with the same Idempotency-Key answers the first walk and raises no second set of tasks', async () => {
    const results = allPass(community);
    results[5] = { itemId: results[5].itemId, result: 'fail', attachmentIds: [await photo()] };
    const body = {
      siteId: w.siteA,
      results,
      foundAt: new Date(Date.now() - 3_600_000).toISOString(),
    };
    const before = await written();
    const first = await walk(body, 'walk-key-1');
    const again = await walk(body, 'walk-key-1');
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
    expect(await written()).toEqual({
      walks: before.walks + 1,
      results: before.results + results.length,
      tasks: before.tasks + 1,
    });
    const [task] = (await t.ds.query('SELECT found_at FROM tasks WHERE id = $1', [
      first.body.results[5].taskId,
    ])) as { found_at: Date }[];
    expect(task.found_at.toISOString()).toBe(body.foundAt);
    const other = await walk({ ...body, results: allPass(community) }, 'walk-key-1');
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('units may not walk nor read checklists; an inspector walks only their own inspection', async () => {
    const unit = as(t, w.unitA.token);
    expect(
      (await walk({ siteId: w.siteA, results: allPass(community) }, undefined, unit)).status,
    ).toBe(403);
    expect((await unit.get(`/inspections/${inspectionId}/checklist-walks`)).status).toBe(403);
    expect((await unit.get('/checklists')).status).toBe(403);
    expect(
      (await inspector().post('/checklists', { siteKind: '商业综合体', name: 'x' })).status,
    ).toBe(403);
    const office = await admin().post('/inspections', {
      kind: 'inspection',
      activity: '医院创城督导检查',
      leadPersons: ['李明'],
      heldOn: shanghaiDate(new Date()),
      location: '大峪街道',
    });
    const before = await written();
    const res = await walk(
      { siteId: w.siteA, results: allPass(community) },
      undefined,
      inspector(),
      office.body.id,
    );
    expect(res.status).toBe(403);
    expect(
      (
        await walk(
          { siteId: w.siteA, results: allPass(community) },
          undefined,
          admin(),
          office.body.id,
        )
      ).status,
    ).toBe(201);
    expect((await written()).walks).toBe(before.walks + 1);
    const missing = await walk(
      { siteId: w.siteA, results: [] },
      undefined,
      admin(),
      '00000000-0000-4000-8000-000000000000',
    );
    expect(missing.status).toBe(404);
  });

  it('the office edits an item and the next walk uses it; an answered item is deactivated, not deleted', async () => {
    const item = community.items[6];
    const edited = await admin().patch(`/checklist-items/${item.id}`, {
      text: '设有志愿服务站（点），有人值守',
      categoryId: 'GG01',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      text: '设有志愿服务站（点），有人值守',
      categoryCode: 'GG01',
      used: true,
    });
    expect(
      (await admin().patch(`/checklist-items/${item.id}`, { categoryId: 'NOPE' })).status,
    ).toBe(400);

    // Deleting an answered item is refused; deactivating it works and the next walk does not ask it.
    const del = await t
      .http()
      .delete(`/api/v1/checklist-items/${community.items[11].id}`)
      .set('authorization', `Bearer ${w.admin.token}`);
    expect(del.status).toBe(409);
    expect(del.body.code).toBe('CHECKLIST_ITEM_IN_USE');
    await admin()
      .patch(`/checklist-items/${community.items[11].id}`, { active: false })
      .expect(200);
    const added = await admin().post(`/checklists/${community.id}/items`, {
      text: '宣传栏内容及时更新',
      categoryId: 'XC02',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      position: 13,
      categoryCode: 'XC02',
      active: true,
      used: false,
    });

    const now = await reload('社区');
    const results = allPass(now);
    expect(results.map((r) => r.itemId)).not.toContain(community.items[11].id);
    expect(results.map((r) => r.itemId)).toContain(added.body.id);
    const i6 = results.findIndex((r) => r.itemId === item.id);
    results[i6] = { itemId: item.id, result: 'fail', attachmentIds: [await photo()] };
    const old = await walk({ siteId: w.siteA, results: allPass(community) });
    expect(old.status).toBe(400); // the deactivated item is not asked any more, the new one is
    const res = await walk({ siteId: w.siteA, results });
    expect(res.status).toBe(201);
    const failed = (res.body.results as { itemId: string; text: string; taskId: string }[]).find(
      (r) => r.itemId === item.id,
    )!;
    expect(failed.text).toBe('设有志愿服务站（点），有人值守');
    const [task] = (await t.ds.query(
      `SELECT t.description, c.code FROM tasks t JOIN categories c ON c.id = t.category_id WHERE t.id = $1`,
      [failed.taskId],
    )) as { description: string; code: string }[];
    expect(task).toEqual({
      description: '清单检查未达标：设有志愿服务站（点），有人值守',
      code: 'GG01',
    });
    // A past walk keeps the text it was walked with.
    const first = (
      await admin().get(`/sites/${w.siteA}/checklist-walks`).expect(200)
    ).body.items.at(-1);
    expect(first.results[6].text).toBe('设有志愿服务站（点），标识清楚');

    // An item nobody answered can be deleted.
    const unused = await admin().post(`/checklists/${community.id}/items`, {
      text: '临时项',
      categoryId: 'HJ01',
    });
    const gone = await t
      .http()
      .delete(`/api/v1/checklist-items/${unused.body.id}`)
      .set('authorization', `Bearer ${w.admin.token}`);
    expect(gone.status).toBe(204);
    expect(
      await n('SELECT count(*)::int AS n FROM checklist_items WHERE id = $1', [unused.body.id]),
    ).toBe(0);
    const dup = await admin().post('/checklists', { siteKind: '社区', name: '又一份' });
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0].field).toBe('siteKind');
  });
});
