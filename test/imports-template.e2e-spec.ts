import ExcelJS from 'exceljs';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { binary } from './support/binary.js';

/**
 * 导入模板 (GET /imports/template.xlsx): our columns under the names the mapping recognises, an
 * example row, drop-downs of the active 问题类别 and 责任单位, a 填写说明 sheet — and a template
 * filled in as a clerk does previews without an error and imports.
 */

const HEADERS = [
  '问题类别',
  '点位',
  '地址',
  '问题描述',
  '经度',
  '纬度',
  '发现时间',
  '责任单位',
  '整改时限',
];

describe('导入模板 (GET /imports/template.xlsx)', () => {
  let t: TestApp;
  let w: LoopWorld;

  const download = (token: string) =>
    t
      .http()
      .get('/api/v1/imports/template.xlsx')
      .set('authorization', `Bearer ${token}`)
      .buffer(true)
      .parse(binary);
  const load = async (body: Buffer): Promise<ExcelJS.Workbook> => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(body as unknown as ExcelJS.Buffer);
    return book;
  };
  /** Today in Beijing, as the example row writes it. */
  const today = (): string => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    // A deactivated category and unit are offered nowhere.
    await t.ds.query(
      `INSERT INTO categories (code, name, group_name, deadline_rule, measure_word, active)
       SELECT 'OLD-1', '已停用类别', group_name, deadline_rule, measure_word, false
         FROM categories WHERE id = $1`,
      [w.categoryId],
    );
    await t.createUnit('已撤销单位');
    await t.ds.query(`UPDATE units SET active = false WHERE name = '已撤销单位'`);
  });
  afterAll(() => t.close());

  it('is for the office only', async () => {
    for (const token of [w.inspector.token, w.unitA.token]) {
      const res = await t
        .http()
        .get('/api/v1/imports/template.xlsx')
        .set('authorization', `Bearer ${token}`);
      expect(res.status).toBe(403);
    }
    expect((await t.http().get('/api/v1/imports/template.xlsx')).status).toBe(401);
  });

  it('has our columns, an example row, drop-downs of the active catalogue and a 填写说明 sheet', async () => {
    const res = await download(w.admin.token).expect(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('问题清单导入模板.xlsx')}`,
    );
    const book = await load(res.body as Buffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['问题清单', '可选值', '填写说明']);

    const sheet = book.worksheets[0];
    expect(sheet.getRow(1).values).toEqual([undefined, ...HEADERS]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(4).width).toBe(40); // 问题描述
    expect(sheet.rowCount).toBe(2);

    const categories = (await t.ds.query(
      `SELECT name FROM categories WHERE active ORDER BY sort_order, code`,
    )) as { name: string }[];
    const units = (await t.ds.query(
      `SELECT name FROM units WHERE active ORDER BY sort_order, code`,
    )) as { name: string }[];
    const [site] = (await t.ds.query(
      `SELECT s.name, s.address, u.name AS unit FROM sites s
         LEFT JOIN units u ON u.id = s.default_unit_id AND u.active
        WHERE s.active ORDER BY s.name LIMIT 1`,
    )) as { name: string; address: string | null; unit: string | null }[];
    const example = sheet.getRow(2).values as unknown[];
    expect(example.slice(1, 5)).toEqual([
      categories[0].name,
      site.name,
      site.address ?? undefined, // an empty cell
      '3号楼楼道堆放纸箱杂物，堵塞消防通道',
    ]);
    expect(example[7]).toMatch(new RegExp(`^${today()} \\d{2}:00$`));
    expect(example[8]).toBe(site.unit ?? units[0].name);

    const lists = book.getWorksheet('可选值')!;
    const column = (c: number): unknown[] =>
      (lists.getColumn(c).values as unknown[]).slice(2).filter((v) => v != null);
    expect(column(1)).toEqual(categories.map((c) => c.name));
    expect(column(1)).not.toContain('已停用类别');
    expect(column(4)).toEqual(units.map((u) => u.name));
    expect(column(4)).not.toContain('已撤销单位');
    expect(column(6)).toEqual([
      '督导检查',
      '暗访',
      '第三方测评',
      '12345',
      '领导交办',
      '媒体曝光',
      '单位自查',
    ]);

    // The drop-downs read those lists, down to row 1001; 来源 is chosen at upload.
    for (const row of [2, 1001]) {
      expect(sheet.getCell(`A${row}`).dataValidation).toMatchObject({
        type: 'list',
        formulae: [`'可选值'!$A$2:$A$${categories.length + 1}`],
        errorStyle: 'warning',
      });
      expect(sheet.getCell(`H${row}`).dataValidation).toMatchObject({
        type: 'list',
        formulae: [`'可选值'!$D$2:$D$${units.length + 1}`],
      });
    }
    expect(sheet.getCell('B2').dataValidation).toBeUndefined();

    const notes = book.getWorksheet('填写说明')!;
    const text: string[] = [];
    // A merged cell reads as its first cell's value in every cell it spans: each once.
    notes.eachRow((row) =>
      text.push([...new Set((row.values as unknown[]).filter(Boolean))].join(' ')),
    );
    expect(text[0]).toBe('问题清单导入模板 填写说明');
    expect(text.join('\n')).toContain('第2行是示例');
    expect(text.join('\n')).toContain('上传时为整张清单选择');
    for (const header of HEADERS) expect(text.some((l) => l.startsWith(`${header} `))).toBe(true);
  });

  it('filled in as a clerk does, previews without an error and imports every row', async () => {
    const template = await download(w.admin.token).expect(200);
    const book = await load(template.body as Buffer);
    const sheet = book.worksheets[0];
    // The example row kept, and one more typed in below it: address only, no unit, no dates.
    sheet.getRow(3).values = [
      sheet.getCell('A2').value as string,
      null,
      '幸福路88号门前',
      '人行道破损',
    ];
    const filled = Buffer.from(await book.xlsx.writeBuffer());

    const uploaded = await t
      .http()
      .post('/api/v1/imports')
      .set('authorization', `Bearer ${w.admin.token}`)
      .field('source', 'hotline')
      .attach('file', filled, { filename: '问题清单导入模板.xlsx' })
      .expect(201);
    const preview = uploaded.body as {
      id: string;
      headers: string[];
      mapping: Record<string, string>;
      mappingProblems: unknown[];
      counts: { rows: number; ready: number; withErrors: number };
      rows: { errors: unknown[]; routed: string; unit: { name: string } | null }[];
    };
    expect(preview.headers).toEqual(HEADERS);
    // Every column recognised by its header: nothing to map by hand.
    expect(preview.mapping).toEqual({
      category: '问题类别',
      site: '点位',
      address: '地址',
      description: '问题描述',
      lng: '经度',
      lat: '纬度',
      foundAt: '发现时间',
      unit: '责任单位',
      deadline: '整改时限',
    });
    expect(preview.mappingProblems).toEqual([]);
    expect(preview.counts).toMatchObject({ rows: 2, ready: 2, withErrors: 0 });
    expect(preview.rows.map((r) => r.errors)).toEqual([[], []]);

    await as(t, w.admin.token).post(`/imports/${preview.id}/confirmation`).expect(201);
    const tasks = (await t.ds.query(
      `SELECT t.description, t.source, s.name AS site, u.name AS unit, t.status,
              to_char(t.deadline AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS deadline
         FROM tasks t LEFT JOIN sites s ON s.id = t.site_id LEFT JOIN units u ON u.id = t.unit_id
        WHERE t.import_batch_id = $1 ORDER BY t.number`,
      [preview.id],
    )) as Record<string, string | null>[];
    const example = sheet.getRow(2).values as string[];
    const week = new Date(Date.now() + 8 * 3_600_000 + 7 * 86_400_000).toISOString().slice(0, 10);
    expect(tasks).toEqual([
      {
        description: '3号楼楼道堆放纸箱杂物，堵塞消防通道',
        source: 'hotline',
        site: example[2],
        unit: example[8],
        status: 'assigned',
        deadline: `${week} 23:59`,
      },
      {
        description: '人行道破损',
        source: 'hotline',
        site: null,
        unit: null,
        status: 'pending_dispatch',
        deadline: null,
      },
    ]);
  });
});
