import ExcelJS from 'exceljs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';
import { parseCsv } from './support/csv.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * 导入问题清单: an .xlsx from 12345 or a 测评 previewed row by row, refused whole while a row is
 * wrong, created whole once right — and a formula never evaluated, a big file never read.
 */

type Cell = ExcelJS.CellValue;
interface ImportRow {
  row: number;
  cells: (string | null)[];
  description: string | null;
  deadline: string;
  errors: unknown[];
  possibleDuplicates: unknown[];
}

async function xlsx(rows: Cell[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('问题清单');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Yesterday in Beijing, as a clerk types it. */
const yesterday = (): string =>
  new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);

describe('导入问题清单 (POST /imports …)', () => {
  let t: TestApp;
  let w: LoopWorld;
  let hits = 0;
  let fetchServer: Server;
  let openTaskId: string;

  const office = () => as(t, w.admin.token);
  const upload = (token: string, file: Buffer, source: string | null, name = '清单.xlsx') => {
    const req = t.http().post('/api/v1/imports').set('authorization', `Bearer ${token}`);
    if (source !== null) req.field('source', source);
    return req.attach('file', file, { filename: name });
  };
  const put = (path: string, body: object) =>
    t.http().put(`/api/v1${path}`).set('authorization', `Bearer ${w.admin.token}`).send(body);
  const tasksOf = (batchId: string) =>
    t.ds.query(
      `SELECT t.source, t.status, t.unit_id, t.deadline, t.description, c.code AS category,
              t.site_id, t.address, t.import_batch_id
         FROM tasks t JOIN categories c ON c.id = t.category_id
        WHERE t.import_batch_id = $1 ORDER BY t.description`,
      [batchId],
    ) as Promise<Record<string, unknown>[]>;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    // Anything fetching this during an import means a formula was evaluated.
    fetchServer = createServer((_req, res) => {
      hits += 1;
      res.end('evaluated');
    });
    await new Promise<void>((resolve) => fetchServer.listen(0, '127.0.0.1', resolve));
    const open = await as(t, w.inspector.token)
      .post('/tasks', { categoryId: w.categoryId, siteId: w.siteA, description: '三号楼楼道堆物' })
      .expect(201);
    openTaskId = open.body.id as string;
  });
  afterAll(async () => {
    fetchServer?.close();
    await t.close();
  });

  const header = ['序号', '问题类型', '检查点位', '问题地址', '问题描述', '发现日期', '责任单位'];

  it('previews every row with its errors per cell, flags a duplicate, and creates nothing while any row is wrong', async () => {
    const port = (fetchServer.address() as AddressInfo).port;
    const file = await xlsx([
      header,
      [1, '楼道堆物', '永定楼公园', null, '公园东门堆放杂物', yesterday(), null],
      [2, 'GG01', null, '新桥大街12号', '墙面小广告', yesterday(), '城子街道'],
      [3, '楼道堆物', '西山社区', null, '一号楼楼道堆物', null, null],
      [4, '楼道杂物', '西山社区', null, '类别写错', null, null],
      [5, '楼道堆物', null, null, '没有位置', null, null],
      [6, '楼道堆物', null, '河滩路3号', '日期写错', '2026-13-45', null],
      [
        { formula: '1+1', result: 7 },
        '楼道堆物',
        null,
        '河滩路5号',
        { formula: `WEBSERVICE("http://127.0.0.1:${port}/x")`, result: '缓存的描述' },
        null,
        null,
      ],
    ]);
    const res = await upload(w.admin.token, file, 'hotline').expect(201);
    const p = res.body;
    expect(p.status).toBe('draft');
    expect(p.source).toBe('hotline');
    expect(p.sourceName).toBe('12345');
    expect(p.headers).toEqual(header);
    expect(p.mapping).toEqual({
      category: '问题类型',
      site: '检查点位',
      address: '问题地址',
      description: '问题描述',
      foundAt: '发现日期',
      unit: '责任单位',
    });
    expect(p.counts).toEqual({ rows: 7, ready: 4, withErrors: 3, possibleDuplicates: 1 });
    const byRow = new Map<number, Record<string, unknown> & ImportRow>(
      p.rows.map((r: ImportRow) => [r.row, r]),
    );
    // Row 2: the site has no unit, so it waits for dispatch without a deadline.
    expect(byRow.get(2)).toMatchObject({
      category: { code: 'HJ07', name: '楼道堆物' },
      site: { id: w.siteNoUnit },
      routed: 'none',
      unit: null,
      deadline: null,
      errors: [],
    });
    // Row 3: the list names the unit; the category's 时限 (立行立改) counted from now.
    const r3 = byRow.get(3)!;
    expect(r3).toMatchObject({
      routed: 'file',
      unit: { name: '城子街道' },
      address: '新桥大街12号',
    });
    expect(new Date(r3.deadline).getTime()).toBeGreaterThan(Date.now());
    // Row 4: routed to the site's unit, and an open task of the category at that site.
    expect(byRow.get(4)).toMatchObject({
      routed: 'site',
      unit: { id: w.unitA.unitId },
      errors: [],
    });
    expect(byRow.get(4)!.possibleDuplicates).toEqual([
      expect.objectContaining({ id: openTaskId, reason: 'site' }),
    ]);
    expect(byRow.get(5)!.errors).toEqual([
      {
        column: '问题类型',
        field: 'category',
        code: 'unknownCategory',
        message: '没有名称或编码为“楼道杂物”的启用类别',
      },
    ]);
    expect(byRow.get(6)!.errors).toEqual([
      expect.objectContaining({ column: '检查点位', code: 'siteOrAddressRequired' }),
    ]);
    expect(byRow.get(7)!.errors).toEqual([
      expect.objectContaining({ column: '发现日期', field: 'foundAt', code: 'isInstant' }),
    ]);
    // Formulas: the result saved in the file, never evaluated (1+1 would be 2; no fetch made).
    expect(byRow.get(8)!.cells[0]).toBe('7');
    expect(byRow.get(8)!.description).toBe('缓存的描述');
    expect(hits).toBe(0);

    const refused = await office().post(`/imports/${p.id}/confirmation`).expect(422);
    expect(refused.body.code).toBe('IMPORT_HAS_ERRORS');
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'rows.5.问题类型',
      'rows.6.检查点位',
      'rows.7.发现日期',
    ]);
    expect(refused.body.errors[0].message).toBe(
      '第5行「问题类型」：没有名称或编码为“楼道杂物”的启用类别',
    );
    expect(await tasksOf(p.id)).toEqual([]);
    const [batch] = await t.ds.query(
      'SELECT status, task_count FROM import_batches WHERE id = $1',
      [p.id],
    );
    expect(batch).toEqual({ status: 'draft', task_count: null });

    await t
      .http()
      .delete(`/api/v1/imports/${p.id}`)
      .set('authorization', `Bearer ${w.admin.token}`)
      .expect(204);
    await office().post(`/imports/${p.id}/confirmation`).expect(409);
  });

  it('takes a new mapping, remembers it for the source, and creates exactly the rows in one go', async () => {
    const file = await xlsx([
      ['类目', '地点', '情况', '单位'],
      ['楼道堆物', '西山社区', '五号楼楼道堆放旧家具', null],
      ['GG01', '永定楼公园', '公园围栏小广告', '城子街道'],
      ['HJ07', '永定楼公园', '公园西门堆物', null],
    ]);
    const first = await upload(w.admin.token, file, 'leader').expect(201);
    // Nothing suggests 类目 or 情况: every row lacks its category and description.
    expect(first.body.mapping).toEqual({ unit: '单位' });
    expect(first.body.mappingProblems.map((m: { field: string }) => m.field)).toEqual([
      'mapping.category',
      'mapping.description',
      'mapping.site',
    ]);
    expect(first.body.counts.withErrors).toBe(3);
    const refused = await office().post(`/imports/${first.body.id}/confirmation`).expect(422);
    expect(refused.body.errors[0].field).toBe('mapping.category');

    await put(`/imports/${first.body.id}/mapping`, { category: '类目', site: '不存在的列' })
      .expect(400)
      .expect((r) =>
        expect(r.body.errors[0]).toMatchObject({ field: 'mapping.site', code: 'unknownColumn' }),
      );
    const remapped = await put(`/imports/${first.body.id}/mapping`, {
      category: '类目',
      site: '地点',
      description: '情况',
      unit: '单位',
    }).expect(200);
    expect(remapped.body.counts).toMatchObject({ rows: 3, ready: 3, withErrors: 0 });

    const started = Date.now();
    const done = await office().post(`/imports/${first.body.id}/confirmation`).expect(201);
    expect(done.body).toMatchObject({ status: 'confirmed', source: 'leader', taskCount: 3 });
    expect(Date.now() - started).toBeLessThan(10_000);
    const created = await tasksOf(first.body.id);
    const byText = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(
      created.map((r) => [r.description, r.category, r.status, r.unit_id, r.source]).sort(byText),
    ).toEqual(
      [
        ['五号楼楼道堆放旧家具', 'HJ07', 'assigned', w.unitA.unitId, 'leader'],
        ['公园围栏小广告', 'GG01', 'assigned', w.unitB.unitId, 'leader'],
        ['公园西门堆物', 'HJ07', 'pending_dispatch', null, 'leader'],
      ].sort(byText),
    );
    // One create event per task, as POST /tasks writes it, naming the source and the batch.
    const events = await t.ds.query(
      `SELECT e.action, e.data->>'source' AS source, e.data->>'importBatchId' AS batch
         FROM task_events e JOIN tasks t ON t.id = e.task_id WHERE t.import_batch_id = $1`,
      [first.body.id],
    );
    expect(events).toEqual(
      Array(3).fill({ action: 'create', source: 'leader', batch: first.body.id }),
    );

    // Confirmed once: a second confirmation (a double click) creates nothing.
    const again = await office().post(`/imports/${first.body.id}/confirmation`).expect(409);
    expect(again.body.code).toBe('IMPORT_NOT_DRAFT');
    expect(await tasksOf(first.body.id)).toHaveLength(3);

    // The mapping is remembered for 领导交办, not for another source.
    const next = await upload(w.admin.token, file, 'leader').expect(201);
    expect(next.body.mapping).toEqual({
      category: '类目',
      site: '地点',
      description: '情况',
      unit: '单位',
    });
    const other = await upload(w.admin.token, file, 'media').expect(201);
    expect(other.body.mapping).toEqual({ unit: '单位' });

    // The tasks are found by source and by batch, and show both.
    const listed = await office()
      .get(`/tasks?source=leader&importBatchId=${first.body.id}`)
      .expect(200);
    expect(listed.body.items).toHaveLength(3);
    expect(listed.body.items[0]).toMatchObject({ source: 'leader', importBatchId: first.body.id });
    const none = await office().get('/tasks?source=undercover').expect(200);
    expect(none.body.items).toEqual([]);
  });

  it('refuses what is not a small .xlsx, naming the field, and reads nothing of it', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 0x50);
    const tooBig = await upload(w.admin.token, big, 'hotline', '大文件.xlsx');
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.errors[0]).toMatchObject({ field: 'file', code: 'maxSize' });
    expect(tooBig.body.detail ?? tooBig.body.message ?? '').toBeDefined();

    const csv = await upload(
      w.admin.token,
      Buffer.from('问题类别,地址\n楼道堆物,x\n'),
      'hotline',
      'a.xlsx',
    );
    expect(csv.status).toBe(400);
    expect(csv.body).toMatchObject({ code: 'IMPORT_NOT_XLSX' });
    expect(csv.body.errors[0].field).toBe('file');

    const noSource = await upload(w.admin.token, await xlsx([header]), null);
    expect(noSource.status).toBe(400);
    expect(noSource.body.errors[0].field).toBe('source');
    const badSource = await upload(w.admin.token, await xlsx([header, [1, 'x']]), 'rumour');
    expect(badSource.status).toBe(400);
    expect(badSource.body.errors[0].field).toBe('source');
    const onlyHeader = await upload(w.admin.token, await xlsx([header]), 'hotline');
    expect(onlyHeader.status).toBe(400);
    expect(onlyHeader.body.errors[0].field).toBe('file');
    const [{ n }] = await t.ds.query(
      `SELECT count(*)::int AS n FROM import_batches WHERE filename IN ('大文件.xlsx', 'a.xlsx')`,
    );
    expect(n).toBe(0);
  });

  it('is the office’s: a unit gets 403, an inspector logs 督导检查 only', async () => {
    const file = await xlsx([header, [1, '楼道堆物', '西山社区', null, '堆物', null, null]]);
    const unit = await upload(w.unitA.token, file, 'hotline');
    expect(unit.status).toBe(403);
    const inspector = await upload(w.inspector.token, file, 'hotline');
    expect(inspector.status).toBe(403);

    const base = { categoryId: w.categoryId, siteId: w.siteA, description: '来源测试' };
    const byInspector = await as(t, w.inspector.token).post('/tasks', {
      ...base,
      source: 'leader',
    });
    expect(byInspector.status).toBe(403);
    expect(byInspector.body.errors[0].field).toBe('source');
    const unknown = await office().post('/tasks', { ...base, source: 'rumour' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('source');
    const media = await office()
      .post('/tasks', { ...base, source: 'media' })
      .expect(201);
    expect(media.body.source).toBe('media');
    const plain = await as(t, w.inspector.token).post('/tasks', base).expect(201);
    expect(plain.body.source).toBe('inspection');

    // The 台账 names the source.
    const csvRes = await office().get('/tasks/export?format=csv&source=media').expect(200);
    const [head, ...rows] = parseCsv(csvRes.text);
    const col = head.indexOf('来源');
    expect(col).toBeGreaterThan(-1);
    expect(rows.map((r) => r[col])).toEqual(['媒体曝光']);

    const sources = await as(t, w.unitA.token).get('/sources').expect(200);
    expect(sources.body.items[0]).toEqual({ code: 'inspection', name: '督导检查', weight: 1 });
  });

  it('creates 5,000 rows in one transaction within seconds', async () => {
    const rows: Cell[][] = [['问题类别', '点位', '问题描述', '责任单位']];
    for (let i = 1; i <= 5000; i += 1) {
      rows.push([
        i % 2 ? '楼道堆物' : 'GG01',
        i % 3 ? '西山社区' : '永定楼公园',
        `批量问题${i}`,
        i % 5 ? null : '城子街道',
      ]);
    }
    const file = await xlsx(rows);
    const t0 = Date.now();
    const up = await upload(w.admin.token, file, 'assessment').expect(201);
    const t1 = Date.now();
    expect(up.body.counts).toMatchObject({ rows: 5000, ready: 5000, withErrors: 0 });
    const done = await office().post(`/imports/${up.body.id}/confirmation`).expect(201);
    const t2 = Date.now();
    expect(done.body.taskCount).toBe(5000);
    console.log(`import of 5,000 rows: upload + preview ${t1 - t0} ms, confirmation ${t2 - t1} ms`);
    const [{ n, units, numbered }] = await t.ds.query(
      `SELECT count(*)::int AS n, count(DISTINCT unit_id)::int AS units,
              count(*) FILTER (WHERE number LIKE 'ZG-%')::int AS numbered
         FROM tasks WHERE import_batch_id = $1 AND source = 'assessment'`,
      [up.body.id],
    );
    expect({ n, units, numbered }).toEqual({ n: 5000, units: 2, numbered: 5000 });
  }, 400_000);
});
