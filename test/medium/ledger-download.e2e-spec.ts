import { jest } from '@jest/globals';
import ExcelJS from 'exceljs';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { LedgerService } from '../../src/tasks/ledger/ledger.service.js';
import { parseCsv } from '../support/csv.js';
import { uploadPhoto } from '../support/fixtures.js';
import { mediumWorld, ok, type MediumWorld } from './medium-world.js';
import { binary } from '../support/binary.js';

/**
 * The 整改台账 download as the office's browser receives it (ledger.service.ts): the file's name
 * and type from the office's day, the default format, a filter that matches nothing, the origin
 * of the photo links (a proxy's forwarded headers, or the request's own), and 照片存疑 only for
 * a submission still standing. Read through GET /tasks/export at a controlled clock.
 *
 * The clock stands at 2026-11-10 07:00 Beijing time, 2026-11-09 23:00 UTC: the file is named
 * after the office's day, not the UTC one.
 */
describe('the 整改台账 download', () => {
  let m: MediumWorld;
  const ids = { submitted: '', closed: '', returned: '', open: '' };
  let photo = '';

  beforeAll(async () => {
    m = await mediumWorld('2026-11-09 09:00');
    const create = (description: string) =>
      ok(
        m.office().post('/tasks', {
          categoryId: m.checkedCategory,
          siteId: m.w.siteA,
          unitId: m.w.unitA.unitId,
          description,
        }),
      );
    // A bare PNG, without capture data: its submission is 照片存疑 (无拍摄信息).
    const submit = async (id: string, version: number) => {
      photo = await uploadPhoto(m.t, m.w.unitA.token);
      return ok(
        m.unitA().post(`/tasks/${id}/submissions`, {
          version,
          description: '已清理',
          afterPhotoIds: [photo],
        }),
      );
    };
    const submitted = await create('一号楼楼道堆物');
    const closed = await create('二号楼楼道堆物');
    const returned = await create('三号楼楼道堆物');
    const open = await create('四号楼楼道堆物');
    Object.assign(ids, {
      submitted: submitted.id,
      closed: closed.id,
      returned: returned.id,
      open: open.id,
    });
    m.setNow('2026-11-09 15:00');
    await submit(submitted.id, submitted.version);
    const c = await submit(closed.id, closed.version);
    await ok(
      m.inspector().post(`/tasks/${closed.id}/checks`, { version: c.version, result: 'pass' }),
    );
    const r = await submit(returned.id, returned.version);
    // 复查不合格: back with the unit; its flagged submission is no longer standing.
    await ok(
      m.inspector().post(`/tasks/${returned.id}/checks`, {
        version: r.version,
        result: 'fail',
        note: '仍有杂物',
      }),
    );
    m.setNow('2026-11-10 07:00');
  });
  afterAll(() => m.close());

  const download = (path: string) => m.office().get(path).buffer(true).parse(binary);
  const csv = async (query = '', headers: Record<string, string> = {}) => {
    const req = m.office().get(`/tasks/export?format=csv${query}`);
    for (const [k, v] of Object.entries(headers)) req.set(k, v);
    const res = await req;
    expect(res.status).toBe(200);
    const [header, ...rows] = parseCsv(res.text);
    return { res, header, rows };
  };

  it('照片存疑 only while the flagged submission stands: awaiting 复查 or accepted', async () => {
    const stored = (await m.t.ds.query(
      `SELECT t.id, t.status, jsonb_array_length(s.evidence_flags) AS flags
         FROM tasks t LEFT JOIN task_submissions s ON s.task_id = t.id WHERE t.id = ANY($1)`,
      [Object.values(ids)],
    )) as { id: string; status: string; flags: number | null }[];
    const byId = new Map(stored.map((r) => [r.id, r]));
    // Every submission was flagged, the returned one included.
    expect([ids.submitted, ids.closed, ids.returned].map((id) => byId.get(id))).toEqual([
      { id: ids.submitted, status: 'submitted', flags: 1 },
      { id: ids.closed, status: 'closed', flags: 1 },
      { id: ids.returned, status: 'assigned', flags: 1 },
    ]);
    expect(byId.get(ids.open)).toEqual({ id: ids.open, status: 'assigned', flags: null });

    const { header, rows } = await csv();
    const cell = (description: string) =>
      rows.find((r) => r[header.indexOf('问题描述')] === description)![header.indexOf('照片存疑')];
    expect(
      ['一号楼楼道堆物', '二号楼楼道堆物', '三号楼楼道堆物', '四号楼楼道堆物'].map(cell),
    ).toEqual(['无拍摄信息', '无拍摄信息', '', '']);

    // In the .xlsx the cell is also filled yellow (SIGNAL_FILLS), and only where it has words.
    const xlsx = await download('/tasks/export?format=xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as ExcelJS.Buffer);
    const sheet = book.worksheets[0];
    const titles = (sheet.getRow(1).values as unknown[]).map(String);
    const fillOf = (description: string) => {
      let found: ExcelJS.Row | undefined;
      sheet.eachRow((row, n) => {
        if (n > 1 && row.getCell(titles.indexOf('问题描述')).value === description) found = row;
      });
      const cell = found!.getCell(titles.indexOf('照片\n存疑'));
      const fill = cell.fill as ExcelJS.FillPattern | undefined;
      return [cell.value ?? '', fill?.pattern === 'solid' ? fill.fgColor?.argb : null];
    };
    expect(
      ['一号楼楼道堆物', '二号楼楼道堆物', '三号楼楼道堆物', '四号楼楼道堆物'].map(fillOf),
    ).toEqual([
      ['无拍摄信息', 'FFFFD966'],
      ['无拍摄信息', 'FFFFD966'],
      ['', null],
      ['', null],
    ]);
  });

  it('named after the office’s day; .xlsx by default, titled with the day', async () => {
    const xlsx = await download('/tasks/export');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(xlsx.headers['content-disposition']).toBe(
      `attachment; filename="ledger-20261110.xlsx"; filename*=UTF-8''${encodeURIComponent('整改台账-20261110.xlsx')}`,
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as ExcelJS.Buffer);
    expect(book.title).toBe('整改台账（2026年11月10日导出）');
    const sheet = book.worksheets[0];
    expect(sheet.headerFooter.oddHeader).toContain('整改台账（2026年11月10日导出）');
    const rows: unknown[] = [];
    sheet.eachRow((row, n) => n > 1 && rows.push(row.getCell(1).value));
    expect(rows).toHaveLength(4);

    const { res } = await csv();
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="ledger-20261110.csv"; filename*=UTF-8''${encodeURIComponent('整改台账-20261110.csv')}`,
    );
  });

  it('a filter that matches nothing: the header alone, in either format', async () => {
    const { header, rows } = await csv('&q=%E6%97%A0%E6%AD%A4%E9%97%AE%E9%A2%98'); // 无此问题
    expect(header[0]).toBe('编号');
    expect(rows).toEqual([]);

    const xlsx = await download('/tasks/export?format=xlsx&q=%E6%97%A0%E6%AD%A4%E9%97%AE%E9%A2%98');
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as ExcelJS.Buffer);
    const sheet = book.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe('编号');
    expect(sheet.actualRowCount).toBe(1);
  });

  it('a row failing after the first: a 500 problem or a cut download, never a hang or a whole file', async () => {
    const service = m.t.app.get(LedgerService);
    const original = service.toLedgerRow.bind(service);
    let calls = 0;
    const spy = jest.spyOn(service, 'toLedgerRow').mockImplementation((r, now) => {
      calls += 1;
      if (calls === 2) throw new Error('the second row failed');
      return original(r, now);
    });
    try {
      const outcome = await m
        .office()
        .get('/tasks/export?format=csv')
        .timeout(20_000)
        .then(
          (res) => ({ status: res.status, text: res.text }),
          (e: Error & { code?: string; timeout?: number }) => ({
            error: e.code ?? e.message,
            timeout: e.timeout,
          }),
        );
      expect(calls).toBe(2);
      // Never a whole file, and never a wait for the client's timeout: a 500 problem if nothing
      // had gone out yet, else the connection cut.
      expect(outcome).not.toMatchObject({ status: 200 });
      expect(outcome).not.toMatchObject({ timeout: 20_000 });
      if ('status' in outcome) {
        expect(outcome.status).toBe(500);
        expect(JSON.parse(outcome.text)).toMatchObject({ code: 'INTERNAL' });
      }
    } finally {
      spy.mockRestore();
    }
  });

  describe('the photo links’ origin', () => {
    const links = async (headers: Record<string, string>) => {
      const { header, rows } = await csv('', headers);
      const row = rows.find((r) => r[header.indexOf('问题描述')] === '一号楼楼道堆物')!;
      return row[header.indexOf('整改后照片')];
    };

    it('the request’s own origin without a proxy', async () => {
      const own = await links({});
      expect(own).toMatch(
        new RegExp(`^http://127\\.0\\.0\\.1:\\d+/api/v1/attachments/[0-9a-f-]{36}$`),
      );
      // The Host header as the request names it.
      expect(await links({ host: 'cc.example.gov.cn:8443' })).toMatch(
        /^http:\/\/cc\.example\.gov\.cn:8443\/api\/v1\/attachments\/[0-9a-f-]{36}$/,
      );
    });

    it('an HTTP/1.0 request without a Host header: bare API paths', async () => {
      const server = m.t.app.getHttpServer() as import('node:http').Server;
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, resolve));
      const { port } = server.address() as AddressInfo;
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(
            `GET /api/v1/tasks/export?format=csv HTTP/1.0\r\nAuthorization: Bearer ${m.w.admin.token}\r\n\r\n`,
          );
        });
        const chunks: Buffer[] = [];
        socket.on('data', (c: Buffer) => chunks.push(c));
        socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        socket.on('error', reject);
      });
      const [head, body] = raw.split('\r\n\r\n', 2);
      expect(head).toMatch(/^HTTP\/1\.[01] 200 /);
      const [header, ...rows] = parseCsv(body);
      const row = rows.find((r) => r[header.indexOf('问题描述')] === '一号楼楼道堆物')!;
      expect(row[header.indexOf('整改后照片')]).toMatch(/^\/api\/v1\/attachments\/[0-9a-f-]{36}$/);
    });

    it('the first of a chain of proxies, trimmed; each header on its own', async () => {
      expect(
        await links({
          'x-forwarded-proto': ' https , http',
          'x-forwarded-host': ' cc.example.gov.cn ,proxy.internal',
        }),
      ).toMatch(/^https:\/\/cc\.example\.gov\.cn\/api\/v1\/attachments\/[0-9a-f-]{36}$/);
      // Only the scheme forwarded: the request's host.
      expect(await links({ 'x-forwarded-proto': 'https', host: 'cc.example.gov.cn' })).toMatch(
        /^https:\/\/cc\.example\.gov\.cn\/api\//,
      );
      // Only the host forwarded: the request's scheme.
      expect(await links({ 'x-forwarded-host': '[::1]:8080' })).toMatch(
        /^http:\/\/\[::1\]:8080\/api\//,
      );
      // An empty forwarded header is no header.
      expect(await links({ 'x-forwarded-host': '', host: 'cc.example.gov.cn' })).toMatch(
        /^http:\/\/cc\.example\.gov\.cn\/api\//,
      );
    });

    it.each([
      ['a scheme that is not http(s)', { 'x-forwarded-proto': 'ftp' }],
      ['a scheme with more after it', { 'x-forwarded-proto': 'https2' }],
      ['a scheme with more before it', { 'x-forwarded-proto': 'xhttp' }],
      ['a host with a path after it', { 'x-forwarded-host': 'cc.example.gov.cn/evil' }],
      ['a host with a quote before it', { 'x-forwarded-host': '"cc.example.gov.cn' }],
    ])('%s: bare API paths', async (_case, headers) => {
      expect(await links(headers)).toMatch(/^\/api\/v1\/attachments\/[0-9a-f-]{36}$/);
    });
  });
});
