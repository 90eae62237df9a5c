import ExcelJS from 'exceljs';
import { as, buildLoopWorld, uploadPhoto, type LoopWorld } from './support/fixtures.js';
import { binary } from './support/binary.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { parseCsv } from './support/csv.js';

/**
 * The 整改台账 as the office keeps and prints it: 是否超期 with the digest's definition, the
 * unit's 整改情况, the 复查, 挂账, photo links, number order, the print layout — and a bad filter
 * answered with a problem, never with a truncated file.
 */

describe('整改台账 export', () => {
  let t: TestApp;
  let w: LoopWorld;
  let inspectorName: string;
  /** late: submitted after its deadline, then passed; onTime: submitted and passed in time. */
  const ids = { late: '', onTime: '', held: '', overdue: '' };
  const photos = { before: '', after: '' };

  const office = () => as(t, w.admin.token);
  const download = (path: string) => office().get(path).buffer(true).parse(binary);

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    [{ display_name: inspectorName }] = await t.ds.query(
      'SELECT display_name FROM users WHERE id = $1',
      [w.inspector.id],
    );
    photos.before = await uploadPhoto(t, w.inspector.token);
    const inspection = await as(t, w.inspector.token)
      .post('/inspections', {
        kind: 'inspection',
        activity: '社区创城督导检查',
        leadPersons: ['王建华'],
        heldOn: '2026-11-18',
        location: '东辛房街道',
        target: '社区',
        participatingUnitIds: [w.unitA.unitId],
        siteIds: [w.siteA],
        tasks: [
          {
            categoryId: w.categoryId,
            siteId: w.siteA,
            description: '一号楼楼道堆物',
            beforePhotoIds: [photos.before],
          },
          { categoryId: w.categoryId, siteId: w.siteA, description: '二号楼楼道堆物' },
          { categoryId: w.categoryId, siteId: w.siteA, description: '三号楼楼道堆物' },
        ],
      })
      .expect(201);
    [ids.late, ids.onTime, ids.held] = inspection.body.taskIds as string[];
    // Logged later, on its own: the newest task, so "newest first" would put it on top.
    const alone = await as(t, w.inspector.token)
      .post('/tasks', { categoryId: w.categoryId, siteId: w.siteA, description: '四号楼楼道堆物' })
      .expect(201);
    ids.overdue = alone.body.id;

    const unit = as(t, w.unitA.token);
    const insp = as(t, w.inspector.token);
    // The field report's case: the deadline passed two minutes before the submission.
    await t.ds.query(
      `UPDATE tasks SET deadline = now() - interval '2 minutes', assessed_deadline = now() - interval '2 minutes' WHERE id = $1`,
      [ids.late],
    );
    photos.after = await uploadPhoto(t, w.unitA.token);
    const late = await unit
      .post(`/tasks/${ids.late}/submissions`, {
        version: 1,
        description: '已清理楼道纸箱杂物，通道畅通',
        afterPhotoIds: [photos.after],
      })
      .expect(200);
    await insp
      .post(`/tasks/${ids.late}/checks`, { version: late.body.version, result: 'pass' })
      .expect(200);

    const onTime = await unit
      .post(`/tasks/${ids.onTime}/submissions`, {
        version: 1,
        description: '已整改',
        afterPhotoIds: [await uploadPhoto(t, w.unitA.token)],
      })
      .expect(200);
    await insp
      .post(`/tasks/${ids.onTime}/checks`, {
        version: onTime.body.version,
        result: 'pass',
        note: '现场已清理',
      })
      .expect(200);

    await office()
      .post(`/tasks/${ids.held}/hold`, {
        version: 1,
        reason: '需结合老旧小区改造统一整治',
        reviewOn: '2027-03-01',
      })
      .expect(200);

    await t.ds.query(`UPDATE tasks SET deadline = now() - interval '5 hours' WHERE id = $1`, [
      ids.overdue,
    ]);
  });
  afterAll(() => t.close());

  async function numbers(): Promise<string[]> {
    const rows = (await t.ds.query('SELECT number FROM tasks WHERE id = ANY($1) ORDER BY number', [
      Object.values(ids),
    ])) as { number: string }[];
    return rows.map((r) => r.number);
  }

  it('the CSV: number order, 是否超期 by the digest’s rule, 整改情况, 复查, 挂账, photo links', async () => {
    const res = await office().get('/tasks/export?format=csv').expect(200);
    const [header, ...rows] = parseCsv(res.text);
    const at = (row: string[], name: string): string => row[header.indexOf(name)];
    expect(rows.map((r) => r[0])).toEqual(await numbers());

    const byDescription = new Map(rows.map((r) => [at(r, '问题描述'), r]));
    const late = byDescription.get('一号楼楼道堆物')!;
    expect([at(late, '状态'), at(late, '是否超期'), at(late, '按期销号')]).toEqual([
      '已销号',
      '是',
      '否',
    ]);
    expect(Number(at(late, '超期时长(小时)'))).toBeGreaterThan(0);
    expect(at(late, '整改情况')).toBe('已清理楼道纸箱杂物，通道畅通');
    expect([at(late, '复查结果'), at(late, '复查人')]).toEqual(['合格', inspectorName]);
    expect(at(late, '发现时间')).toBe('2026-11-18'); // the inspection's day, not the entry time
    expect(at(late, '整改前照片')).toMatch(new RegExp(`/api/v1/attachments/${photos.before}$`));
    expect(at(late, '整改后照片')).toMatch(new RegExp(`/api/v1/attachments/${photos.after}$`));

    const onTime = byDescription.get('二号楼楼道堆物')!;
    expect([at(onTime, '是否超期'), at(onTime, '按期销号'), at(onTime, '复查意见')]).toEqual([
      '否',
      '是',
      '现场已清理',
    ]);

    const held = byDescription.get('三号楼楼道堆物')!;
    expect([
      at(held, '状态'),
      at(held, '是否超期'),
      at(held, '挂账原因'),
      at(held, '挂账复查日期'),
    ]).toEqual(['挂账', '否', '需结合老旧小区改造统一整治', '2027-03-01']);

    const overdue = byDescription.get('四号楼楼道堆物')!;
    expect([at(overdue, '状态'), at(overdue, '是否超期')]).toEqual(['整改中', '是']);
    expect(Number(at(overdue, '超期时长(小时)'))).toBeCloseTo(5, 0);

    // The digest counts the same two closures, one of them on time: the two never disagree.
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const digest = await office().get(`/reports/digest?from=${today}&to=${today}`).expect(200);
    const unit = (digest.body.units as { unitId: string; figures: Record<string, number> }[]).find(
      (u) => u.unitId === w.unitA.unitId,
    );
    expect(unit?.figures).toMatchObject({ closed: 2, closedOnTime: 1 });
    const closedLate = rows.filter((r) => at(r, '状态') === '已销号' && at(r, '是否超期') === '是');
    expect(closedLate).toHaveLength(unit!.figures.closed - unit!.figures.closedOnTime);
  });

  it('the .xlsx: the same cells, links per photo, frozen header, A3 landscape one page wide', async () => {
    const res = await download('/tasks/export?format=xlsx');
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as unknown as ExcelJS.Buffer);
    const sheet = book.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).map((v) =>
      typeof v === 'string' ? v.replaceAll('\n', '') : v,
    );
    const column = (name: string): number => {
      const i = header.indexOf(name);
      if (i < 1) throw new Error(`no column ${name}`);
      return i;
    };
    const rows: ExcelJS.Row[] = [];
    sheet.eachRow((row, n) => n > 1 && rows.push(row));
    expect(rows.map((r) => r.getCell(1).value)).toEqual(await numbers());

    const late = rows.find((r) => r.getCell(column('问题描述')).value === '一号楼楼道堆物')!;
    const cell = (name: string) => late.getCell(column(name));
    expect(cell('是否超期').value).toBe('是');
    expect((cell('是否超期').fill as ExcelJS.FillPattern).pattern).toBe('solid');
    expect(cell('整改情况').value).toBe('已清理楼道纸箱杂物，通道畅通');
    expect([cell('复查结果').value, cell('复查人').value]).toEqual(['合格', inspectorName]);
    const link = cell('整改后照片1').value as ExcelJS.CellFormulaValue;
    expect(link.formula).toMatch(
      new RegExp(`^HYPERLINK\\("https?://[^"]+/api/v1/attachments/${photos.after}","照片1"\\)$`),
    );
    expect((cell('整改前照片1').value as ExcelJS.CellFormulaValue).formula).toContain(
      `/api/v1/attachments/${photos.before}`,
    );

    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.pageSetup).toMatchObject({
      paperSize: 8,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
    });
    expect(sheet.getRow(1).getCell(1).alignment?.wrapText).toBe(true);
  });

  it('links photos on the address the office reaches the service at, behind a proxy too', async () => {
    const res = await office()
      .get('/tasks/export?format=csv')
      .set('x-forwarded-proto', 'https')
      .set('x-forwarded-host', 'cc.example.gov.cn')
      .expect(200);
    const [header, ...rows] = parseCsv(res.text);
    const links = rows.map((r) => r[header.indexOf('整改后照片')]).filter(Boolean);
    expect(links).toContain(`https://cc.example.gov.cn/api/v1/attachments/${photos.after}`);
  });

  it.each([
    ['q', 'q=%E6%A5%BC%00'],
    ['createdFrom', 'createdFrom=2026-W46'],
    ['closedTo', 'closedTo=2026-11-10T10:00:00%2B08'],
  ])('a bad filter (%s) is a 400 problem naming the field, not a file', async (field, query) => {
    for (const format of ['csv', 'xlsx']) {
      const res = await office().get(`/tasks/export?format=${format}&${query}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['content-disposition']).toBeUndefined();
      expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
    }
  });
});

/** 签收时间 and 签收人 in the 台账 where 签收 is required: a user's name, an API key's, none. */
describe('整改台账 export with 签收 (ACK_REQUIRED=true)', () => {
  let t: TestApp;
  let w: LoopWorld;

  beforeAll(async () => {
    t = await createTestApp({ ACK_REQUIRED: 'true' });
    w = await buildLoopWorld(t);
  });
  afterAll(() => t.close());

  const create = async (description: string) =>
    (
      await as(t, w.inspector.token)
        .post('/tasks', { categoryId: w.categoryId, siteId: w.siteA, description })
        .expect(201)
    ).body as { id: string; version: number };

  it('has 签收时间 and 签收人 after 派遣时间: the user, the API key, or empty while unsigned', async () => {
    const byUser = await create('一号楼楼道堆物');
    const byKey = await create('二号楼楼道堆物');
    const unsigned = await create('三号楼楼道堆物');
    await as(t, w.unitA.token)
      .post(`/tasks/${byUser.id}/acknowledgement`, { version: byUser.version })
      .expect(200);
    const key = await as(t, w.admin.token)
      .post('/api-keys', { unitId: w.unitA.unitId, name: '街道网格平台' })
      .expect(201);
    await t
      .http()
      .post(`/api/v1/tasks/${byKey.id}/acknowledgement`)
      .set('x-api-key', key.body.key as string)
      .send({ version: byKey.version })
      .expect(200);

    const stored = (await t.ds.query(
      `SELECT t.id, t.acknowledged_at, t.acknowledged_by_kind, u.display_name
         FROM tasks t LEFT JOIN users u ON u.id = t.acknowledged_by_id
        WHERE t.id = ANY($1)`,
      [[byUser.id, byKey.id, unsigned.id]],
    )) as {
      id: string;
      acknowledged_at: Date | null;
      acknowledged_by_kind: string | null;
      display_name: string | null;
    }[];
    const db = new Map(stored.map((r) => [r.id, r]));
    expect(db.get(byUser.id)?.acknowledged_by_kind).toBe('user');
    expect(db.get(byKey.id)?.acknowledged_by_kind).toBe('api_key');
    expect(db.get(unsigned.id)?.acknowledged_at).toBeNull();
    // The ledger's time format, in Beijing time: what the stored instant prints as.
    const printed = (d: Date | null | undefined): string =>
      new Date(d!.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

    const csv = await as(t, w.admin.token).get('/tasks/export?format=csv').expect(200);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header.slice(header.indexOf('派遣时间'), header.indexOf('派遣时间') + 4)).toEqual([
      '派遣时间',
      '签收时间',
      '签收人',
      '整改时限',
    ]);
    const at = (description: string, name: string): string =>
      rows.find((r) => r[header.indexOf('问题描述')] === description)![header.indexOf(name)];
    expect([at('一号楼楼道堆物', '签收时间'), at('一号楼楼道堆物', '签收人')]).toEqual([
      printed(db.get(byUser.id)?.acknowledged_at),
      db.get(byUser.id)?.display_name,
    ]);
    expect([at('二号楼楼道堆物', '签收时间'), at('二号楼楼道堆物', '签收人')]).toEqual([
      printed(db.get(byKey.id)?.acknowledged_at),
      '街道网格平台',
    ]);
    expect([at('三号楼楼道堆物', '签收时间'), at('三号楼楼道堆物', '签收人')]).toEqual(['', '']);

    // The .xlsx: the same cells.
    const res = await as(t, w.admin.token)
      .get('/tasks/export?format=xlsx')
      .buffer(true)
      .parse(binary)
      .expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as unknown as ExcelJS.Buffer);
    const sheet = book.worksheets[0];
    const xlsxHeader = sheet.getRow(1).values as unknown[];
    const cells: Record<string, unknown[]> = {};
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      cells[row.getCell(xlsxHeader.indexOf('问题描述')).value as string] = [
        row.getCell(xlsxHeader.indexOf('签收时间')).value,
        row.getCell(xlsxHeader.indexOf('签收人')).value,
      ];
    });
    expect(cells).toEqual({
      一号楼楼道堆物: [
        printed(db.get(byUser.id)?.acknowledged_at),
        db.get(byUser.id)?.display_name,
      ],
      二号楼楼道堆物: [printed(db.get(byKey.id)?.acknowledged_at), '街道网格平台'],
      三号楼楼道堆物: [null, null],
    });
  });
});
