import ExcelJS from 'exceljs';
import { jest } from '@jest/globals';
import { Clock } from '../src/common/clock.js';
import { as, buildLoopWorld, uploadPhoto, type LoopWorld } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { binary } from './support/binary.js';

interface Item {
  id: string;
  number: string;
  status: string;
  reworkCount: number;
  timing: { overdue: boolean; light: string; escalation: string } | null;
}

describe('a whole story: inspection → three tasks → closed, reworked then closed, overdue', () => {
  let t: TestApp;
  let w: LoopWorld;
  let ids: string[];
  let inspectionId: string;
  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
  });
  afterAll(() => t.close());

  it('logs the inspection with three problems in one request', async () => {
    const photo = await uploadPhoto(t, w.inspector.token);
    const res = await as(t, w.inspector.token).post('/inspections', {
      kind: 'inspection',
      activity: '社区创城督导检查',
      leadPersons: ['王建华'],
      accompanying: ['朱峰'],
      heldOn: '2026-11-18',
      location: '东辛房街道',
      target: '社区',
      participatingUnitIds: [w.unitA.unitId],
      siteIds: [w.siteA],
      requirements: [{ heading: '提高站位', body: '全力以赴抓好专项治理' }],
      tasks: [
        {
          categoryId: w.categoryId,
          siteId: w.siteA,
          description: '一号楼楼道堆物',
          beforePhotoIds: [photo],
        },
        { categoryId: w.categoryId, siteId: w.siteA, description: '二号楼楼道堆物' },
        { categoryId: w.categoryId, siteId: w.siteA, description: '三号楼楼道堆物' },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      taskCounts: { total: 3, closed: 0, open: 3 },
      participatingUnits: [{ id: w.unitA.unitId }],
    });
    inspectionId = res.body.id;
    ids = res.body.taskIds;
    expect(ids).toHaveLength(3);
    // Unit B neither took part nor got a task: it does not see the inspection.
    await as(t, w.unitB.token).get(`/inspections/${inspectionId}`).expect(404);
    await as(t, w.unitA.token).get(`/inspections/${inspectionId}`).expect(200);
  });

  it('one closes, one fails its check and closes after rework, one runs past its deadline', async () => {
    const unit = as(t, w.unitA.token);
    const insp = as(t, w.inspector.token);
    const submit = async (id: string, version: number) =>
      (
        await unit.post(`/tasks/${id}/submissions`, {
          version,
          description: '已整改',
          afterPhotoIds: [await uploadPhoto(t, w.unitA.token)],
        })
      ).body;
    const first = await submit(ids[0], 1);
    expect(
      (await insp.post(`/tasks/${ids[0]}/checks`, { version: first.version, result: 'pass' })).body
        .status,
    ).toBe('closed');
    const second = await submit(ids[1], 1);
    const failed = (
      await insp.post(`/tasks/${ids[1]}/checks`, {
        version: second.version,
        result: 'fail',
        note: '未清理干净',
      })
    ).body;
    const again = await submit(ids[1], failed.version);
    expect(
      (await insp.post(`/tasks/${ids[1]}/checks`, { version: again.version, result: 'pass' })).body,
    ).toMatchObject({ status: 'closed', reworkCount: 1 });
  });

  it('the list, the inspection, the history and the ledger show exactly that', async () => {
    const clock = t.app.get(Clock);
    const [{ deadline }] = await t.ds.query('SELECT deadline FROM tasks WHERE id = $1', [ids[2]]);
    const spy = jest
      .spyOn(clock, 'now')
      .mockReturnValue(new Date(deadline.getTime() + 80 * 3_600_000));
    try {
      const office = as(t, w.admin.token);
      const list = await office.get(`/tasks?inspectionId=${inspectionId}&sort=number`).expect(200);
      const byId = new Map((list.body.items as Item[]).map((i) => [i.id, i]));
      expect(byId.get(ids[0])).toMatchObject({ status: 'closed', reworkCount: 0, timing: null });
      expect(byId.get(ids[1])).toMatchObject({ status: 'closed', reworkCount: 1, timing: null });
      expect(byId.get(ids[2])).toMatchObject({
        status: 'assigned',
        timing: { overdue: true, light: 'red', escalation: 'notify' },
      });

      const overdue = await office
        .get(`/tasks?overdue=true&inspectionId=${inspectionId}`)
        .expect(200);
      expect(overdue.body.items.map((i: Item) => i.id)).toEqual([ids[2]]);
      const notify = await office.get(`/tasks?escalation=notify`).expect(200);
      expect(notify.body.items.map((i: Item) => i.id)).toEqual([ids[2]]);
      const closed = await office
        .get(`/tasks?status=closed&inspectionId=${inspectionId}&sort=-closedAt`)
        .expect(200);
      expect(closed.body.items.map((i: Item) => i.id)).toEqual([ids[1], ids[0]]);

      const inspection = await office.get(`/inspections/${inspectionId}`).expect(200);
      expect(inspection.body.taskCounts).toEqual({ total: 3, closed: 2, open: 1 });

      const history = await office.get(`/tasks/${ids[1]}/events`).expect(200);
      expect(history.body.items.map((e: { action: string }) => e.action)).toEqual([
        'create',
        'submit',
        'check_fail',
        'submit',
        'check_pass',
      ]);

      const csv = await office
        .get(`/tasks/export?format=csv&inspectionId=${inspectionId}`)
        .expect(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      const lines = csv.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines[0].split(',').slice(0, 3)).toEqual(['编号', '状态', '问题类别']);
      expect(lines).toHaveLength(4);
      const statusOf = (number: string) => lines.find((l) => l.startsWith(number))?.split(',')[1];
      const numbers = (list.body.items as Item[]).map((i) => i.number);
      expect(numbers.map(statusOf).sort()).toEqual(['已销号', '已销号', '整改中']);
      expect(lines.find((l) => l.includes('三号楼'))).toMatch(/红灯/);

      const xlsx = await office
        .get(`/tasks/export?inspectionId=${inspectionId}`)
        .buffer(true)
        .parse(binary);
      expect(xlsx.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.body as unknown as ExcelJS.Buffer);
      const sheet = book.worksheets[0];
      const values: string[] = [];
      sheet.eachRow((row) => values.push(String(row.getCell(1).value)));
      expect(values.filter((v) => /^ZG-/.test(v)).sort()).toEqual([...numbers].sort());
    } finally {
      spy.mockRestore();
    }
  });

  it('a unit’s list and ledger hold only its own tasks, however it filters', async () => {
    const b = as(t, w.unitB.token);
    const list = await b.get(`/tasks?inspectionId=${inspectionId}`).expect(200);
    expect(list.body.items).toEqual([]);
    const forged = await b.get(`/tasks?unitId=${w.unitA.unitId}`).expect(200);
    expect(forged.body.items).toEqual([]);
    const csv = await b.get('/tasks/export?format=csv').expect(200);
    expect(
      csv.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n'),
    ).toHaveLength(1);
    await b.get(`/tasks/${ids[2]}`).expect(404);
  });

  it('pages with a cursor without repeats or gaps, and refuses a forged cursor', async () => {
    const office = as(t, w.admin.token);
    for (let i = 0; i < 7; i++) {
      await as(t, w.inspector.token).post('/tasks', {
        categoryId: w.categoryId,
        siteId: w.siteA,
        description: `分页 ${i}`,
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const path = `/tasks?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await office.get(path).expect(200);
      seen.push(...res.body.items.map((i: Item) => i.id));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    const [{ n }] = await t.ds.query('SELECT count(*)::int AS n FROM tasks');
    expect(seen).toHaveLength(n);
    expect(new Set(seen).size).toBe(n);
    const text = await office.get(`/tasks?q=${encodeURIComponent('分页 3')}`).expect(200);
    expect(text.body.items).toHaveLength(1);
    await office.get('/tasks?cursor=bm90LWpzb24').expect(400);
    await office.get('/tasks?status=bogus').expect(400);
  });

  it('the list query uses its indexes (keyset order, unit scope) rather than sorting the table', async () => {
    await t.ds.query('ANALYZE tasks');
    await t.ds.query('SET enable_seqscan = off');
    try {
      const plan = (await t.ds.query(
        `EXPLAIN SELECT id FROM tasks t WHERE t.unit_id = $1 AND (t.created_at, t.id) < (now(), '00000000-0000-4000-8000-000000000000') ORDER BY t.created_at DESC, t.id DESC LIMIT 51`,
        [w.unitA.unitId],
      )) as { 'QUERY PLAN': string }[];
      const text = plan.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toMatch(/ix_tasks_unit_created/);
      expect(text).not.toMatch(/Sort/);
    } finally {
      await t.ds.query('SET enable_seqscan = on');
    }
  });
});
