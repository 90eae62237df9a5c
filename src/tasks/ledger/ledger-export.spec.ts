import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  LEDGER_COLUMNS,
  LEDGER_PRINTED_COLUMNS,
  LEDGER_SHEET_NAME,
  LEDGER_XLSX_HEADERS,
  foundAtOf,
  type LedgerRow,
  csvField,
  formatLedgerRow,
  formatLedgerTime,
  writeLedgerCsv,
  writeLedgerXlsx,
} from './ledger-export.js';

const HEADERS = [
  '编号',
  '状态',
  '问题类别',
  '类别分组',
  '责任单位',
  '点位',
  '地址',
  '问题描述',
  '所属督导检查',
  '来源',
  '发现时间',
  '派遣时间',
  '签收时间',
  '签收人',
  '整改时限',
  '反馈时间',
  '整改情况',
  '复查结果',
  '复查人',
  '复查时间',
  '复查意见',
  '销号时间',
  '是否超期',
  '超期时长(小时)',
  '亮灯',
  '督办等级',
  '返工次数',
  '反弹次数',
  '延期次数',
  '按期销号',
  '未经复查销号',
  '挂账原因',
  '挂账复查日期',
  '照片存疑',
  '整改前照片',
  '整改后照片',
];

/** 1-based column of an .xlsx header. */
function xlsxColumn(header: string): number {
  const i = LEDGER_XLSX_HEADERS.indexOf(header);
  if (i < 0) throw new Error(`no column ${header}`);
  return i + 1;
}

/** 1 → A, 27 → AA. */
function columnName(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26))
    s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

/** Beijing wall-clock time → instant, so fixtures read the way the ledger prints them. */
function bj(local: string): Date {
  return new Date(`${local}:00+08:00`);
}

const closedRow: LedgerRow = {
  number: 'ZG20261110-0001',
  status: 'closed',
  categoryName: '楼道堆物',
  groupName: '市容环境',
  unitName: '城关街道',
  siteName: '幸福里社区',
  address: '幸福路12号',
  description: '3号楼楼道堆放纸箱, "杂物"\n阻塞消防通道',
  inspectionLabel: '2026-11-10 公园广场创城督导检查',
  sourceName: '督导检查',
  foundAt: bj('2026-11-10 09:05'),
  assignedAt: bj('2026-11-10 09:30'),
  acknowledgedAt: bj('2026-11-10 09:42'),
  acknowledgedBy: '李干事',
  deadline: bj('2026-11-12 17:30'),
  submittedAt: bj('2026-11-11 16:00'),
  submissionText: '已清理纸箱杂物，通道畅通',
  checkResult: 'pass',
  checkedBy: '王督导',
  checkedAt: bj('2026-11-12 10:15'),
  checkNote: null,
  closedAt: bj('2026-11-12 10:15'),
  overdue: false,
  overdueHours: 0,
  light: null,
  escalation: null,
  reworkCount: 1,
  reopenCount: 0,
  extensionCount: 0,
  closedOnTime: true,
  closedUnverified: false,
  holdReason: null,
  holdReviewOn: null,
  beforePhotoIds: ['11111111-1111-4111-8111-111111111111'],
  afterPhotoIds: ['22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'],
  evidenceFlags: [],
};

const overdueRow: LedgerRow = {
  number: 'ZG20261110-0002',
  status: 'assigned',
  categoryName: '小广告',
  groupName: '市容环境',
  unitName: '区城管局',
  siteName: null,
  address: '人民路与解放路交叉口',
  description: '=HYPERLINK("http://evil.example","点击")',
  inspectionLabel: null,
  sourceName: '12345',
  foundAt: bj('2026-11-10 23:59'),
  assignedAt: bj('2026-11-11 00:00'),
  acknowledgedAt: bj('2026-11-11 08:15'),
  acknowledgedBy: '城管局工单接口',
  deadline: bj('2026-11-12 00:00'),
  submittedAt: null,
  submissionText: null,
  checkResult: null,
  checkedBy: null,
  checkedAt: null,
  checkNote: null,
  closedAt: null,
  overdue: true,
  overdueHours: 26.46,
  light: 'red',
  escalation: 'supervise',
  reworkCount: 0,
  reopenCount: 2,
  extensionCount: 1,
  closedOnTime: null,
  closedUnverified: null,
  holdReason: null,
  holdReviewOn: null,
  beforePhotoIds: [],
  afterPhotoIds: [],
  evidenceFlags: [],
};

const pendingRow: LedgerRow = {
  number: 'ZG20261110-0003',
  status: 'pending_dispatch',
  categoryName: '乱停车',
  groupName: '街面秩序',
  unitName: null,
  siteName: null,
  address: null,
  description: '非机动车乱停放',
  inspectionLabel: null,
  sourceName: '12345',
  foundAt: bj('2026-11-10 10:00'),
  assignedAt: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  deadline: null,
  submittedAt: null,
  submissionText: null,
  checkResult: null,
  checkedBy: null,
  checkedAt: null,
  checkNote: null,
  closedAt: null,
  overdue: false,
  overdueHours: 0,
  light: null,
  escalation: null,
  reworkCount: 0,
  reopenCount: 0,
  extensionCount: 0,
  closedOnTime: null,
  closedUnverified: null,
  holdReason: null,
  holdReviewOn: null,
  beforePhotoIds: [],
  afterPhotoIds: [],
  evidenceFlags: [],
};

async function* fromArray(rows: readonly LedgerRow[]): AsyncGenerator<LedgerRow> {
  for (const row of rows) yield row;
}

async function* generated(n: number, onPull?: (i: number) => void): AsyncGenerator<LedgerRow> {
  const base = bj('2026-11-01 08:00').getTime();
  for (let i = 0; i < n; i++) {
    onPull?.(i);
    yield {
      ...overdueRow,
      number: `ZG2026-${String(i).padStart(6, '0')}`,
      description: `第${i}号问题：店外经营，占道摆放货物，影响通行`,
      foundAt: new Date(base + i * 60_000),
      overdueHours: (i % 500) / 7,
    };
  }
}

/** Collects everything written to a stream that `out` pipes into, as one Buffer. */
function collector(): { out: PassThrough; done: Promise<Buffer<ArrayBuffer>> } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer<ArrayBuffer>>((resolve, reject) => {
    out.on('end', () => resolve(Buffer.concat(chunks)));
    out.on('error', reject);
  });
  return { out, done };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Counts and discards bytes: a stand-in for an HTTP response. */
function counter(): Writable & { bytes: number } {
  const sink = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        sink.bytes += chunk.length;
        callback();
      },
    }),
    { bytes: 0 },
  );
  return sink;
}

describe('formatLedgerTime', () => {
  it.each<[string, string]>([
    ['2026-11-10T01:30:00Z', '2026-11-10 09:30'],
    ['2026-11-10T16:00:00Z', '2026-11-11 00:00'], // UTC evening is the next Beijing day
    ['2026-12-31T15:59:59.999Z', '2026-12-31 23:59'], // truncates, never rounds into next day
    ['2027-02-28T16:00:00Z', '2027-03-01 00:00'],
    ['2028-02-28T16:00:00Z', '2028-02-29 00:00'],
  ])('%s → %s', (iso, expected) => {
    expect(formatLedgerTime(new Date(iso))).toBe(expected);
  });

  it('leaves missing and invalid dates empty', () => {
    expect(formatLedgerTime(null)).toBeNull();
    expect(formatLedgerTime(new Date(Number.NaN))).toBeNull();
  });
});

describe('formatLedgerRow', () => {
  const at = (row: LedgerRow, header: string) =>
    formatLedgerRow(row)[LEDGER_COLUMNS.findIndex((c) => c.header === header)];

  it('has one cell per column', () => {
    expect(LEDGER_COLUMNS.map((c) => c.header)).toEqual(HEADERS);
    expect(formatLedgerRow(closedRow)).toHaveLength(LEDGER_COLUMNS.length);
  });

  it.each<[string, string]>([
    ['pending_dispatch', '待派遣'],
    ['assigned', '整改中'],
    ['submitted', '待复查'],
    ['on_hold', '挂账'],
    ['closed', '已销号'],
    ['cancelled', '已撤销'],
    ['some_future_state', 'some_future_state'],
  ])('status %s → %s', (status, label) => {
    expect(at({ ...pendingRow, status }, '状态')).toBe(label);
  });

  it('labels lights and escalation levels in Chinese', () => {
    const cells = (light: LedgerRow['light'], escalation: LedgerRow['escalation']) => {
      const row = { ...overdueRow, light, escalation };
      return [at(row, '亮灯'), at(row, '督办等级')];
    };
    expect(cells('green', 'none')).toEqual(['绿灯', '无']);
    expect(cells('yellow', 'reminder')).toEqual(['黄灯', '提醒']);
    expect(cells('red', 'supervise')).toEqual(['红灯', '督办']);
    expect(cells('red', 'notify')).toEqual(['红灯', '通报']);
    expect(cells(null, null)).toEqual([null, null]);
  });

  it('shows overdue hours to one decimal, never 0 while overdue, empty while on time', () => {
    const hours = (overdue: boolean, overdueHours: number) =>
      at({ ...overdueRow, overdue, overdueHours }, '超期时长(小时)');
    expect(hours(true, 26.46)).toBe(26.5);
    expect(hours(true, 0.001)).toBe(0.1);
    expect(hours(false, 0)).toBeNull();
  });

  it.each<[string, keyof LedgerRow, unknown, string | null]>([
    ['整改情况', 'submissionText', '已清理', '已清理'],
    ['复查结果', 'checkResult', 'pass', '合格'],
    ['复查结果', 'checkResult', 'fail', '不合格'],
    ['复查结果', 'checkResult', null, null],
    ['复查人', 'checkedBy', '王督导', '王督导'],
    ['复查时间', 'checkedAt', bj('2026-11-12 10:15'), '2026-11-12 10:15'],
    ['复查意见', 'checkNote', '未清理干净', '未清理干净'],
    ['挂账原因', 'holdReason', '需结合道路大修', '需结合道路大修'],
    ['挂账复查日期', 'holdReviewOn', '2027-03-01', '2027-03-01'],
    ['来源', 'sourceName', '领导交办', '领导交办'],
    ['发现时间', 'foundAt', '2026-11-18', '2026-11-18'],
    ['发现时间', 'foundAt', bj('2026-11-18 09:35'), '2026-11-18 09:35'],
    ['是否超期', 'overdue', true, '是'],
    ['是否超期', 'overdue', false, '否'],
    ['整改前照片', 'beforePhotoIds', ['a', 'b'], '/api/v1/attachments/a\n/api/v1/attachments/b'],
    ['整改后照片', 'afterPhotoIds', [], null],
    ['照片存疑', 'evidenceFlags', [], null],
    [
      '照片存疑',
      'evidenceFlags',
      [
        { reason: 'too_far', detail: '…' },
        { reason: 'taken_before_assignment', detail: '…' },
        { reason: 'too_far', detail: '…' },
      ],
      '拍摄地点过远、拍摄早于派遣',
    ],
  ])('%s from %s = %p → %p', (header, field, value, expected) => {
    expect(at({ ...closedRow, [field]: value }, header)).toEqual(expected);
  });

  it('links photos through the given address', () => {
    const cells = formatLedgerRow(closedRow, { photoUrl: (id) => `https://cc.example/p/${id}` });
    expect(cells[LEDGER_COLUMNS.findIndex((c) => c.header === '整改后照片')]).toBe(
      'https://cc.example/p/22222222-2222-4222-8222-222222222222\n' +
        'https://cc.example/p/33333333-3333-4333-8333-333333333333',
    );
  });
});

describe('foundAtOf', () => {
  it.each<[string, string, string | null, string]>([
    [
      'entered on site, on the inspection day',
      '2026-11-18 09:35',
      '2026-11-18',
      '2026-11-18 09:35',
    ],
    ['entered the next day', '2026-11-19 08:10', '2026-11-18', '2026-11-18'],
    [
      'entered late that evening (Beijing) = same day',
      '2026-11-18 23:50',
      '2026-11-18',
      '2026-11-18 23:50',
    ],
    ['no inspection', '2026-11-19 08:10', null, '2026-11-19 08:10'],
  ])('%s', (_case, entered, inspectionDay, shown) => {
    const found = foundAtOf(bj(entered), inspectionDay);
    expect(typeof found === 'string' ? found : formatLedgerTime(found)).toBe(shown);
  });
});

describe('csvField', () => {
  it.each<[string | number | null, string]>([
    [null, ''],
    ['', ''],
    [3, '3'],
    ['普通文本', '普通文本'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line1\nline2', '"line1\nline2"'],
    ['line1\r\nline2', '"line1\r\nline2"'],
    ['=1+1', "'=1+1"],
    ['+8613800000000', "'+8613800000000"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['=A1,B1', `"'=A1,B1"`],
    ['a=b', 'a=b'],
  ])('%j → %j', (cell, expected) => {
    expect(csvField(cell)).toBe(expected);
  });
});

describe('writeLedgerCsv', () => {
  it('writes a BOM, Chinese headers, CRLF lines, quoted and defused fields', async () => {
    const { out, done } = collector();
    const count = await writeLedgerCsv(fromArray([closedRow, overdueRow, pendingRow]), out);
    const text = (await done).toString('utf8');

    expect(count).toBe(3);
    expect(text).toBe(
      '\uFEFF' +
        `${HEADERS.join(',')}\r\n` +
        'ZG20261110-0001,已销号,楼道堆物,市容环境,城关街道,幸福里社区,幸福路12号,' +
        '"3号楼楼道堆放纸箱, ""杂物""\n阻塞消防通道",2026-11-10 公园广场创城督导检查,督导检查,' +
        '2026-11-10 09:05,2026-11-10 09:30,2026-11-10 09:42,李干事,2026-11-12 17:30,' +
        '2026-11-11 16:00,' +
        '已清理纸箱杂物，通道畅通,合格,王督导,2026-11-12 10:15,,2026-11-12 10:15,' +
        '否,,,,1,0,0,是,否,,,,' +
        '/api/v1/attachments/11111111-1111-4111-8111-111111111111,' +
        '"/api/v1/attachments/22222222-2222-4222-8222-222222222222\n' +
        '/api/v1/attachments/33333333-3333-4333-8333-333333333333"\r\n' +
        'ZG20261110-0002,整改中,小广告,市容环境,区城管局,,人民路与解放路交叉口,' +
        '"\'=HYPERLINK(""http://evil.example"",""点击"")",,12345,' +
        '2026-11-10 23:59,2026-11-11 00:00,2026-11-11 08:15,城管局工单接口,' +
        '2026-11-12 00:00,,,,,,,,' +
        '是,26.5,红灯,督办,0,2,1,,,,,,,\r\n' +
        'ZG20261110-0003,待派遣,乱停车,街面秩序,,,,非机动车乱停放,,12345,' +
        '2026-11-10 10:00,,,,,,,,,,,,否,,,,0,0,0,,,,,,,\r\n',
    );
  });

  it('writes only the header for an empty ledger', async () => {
    const { out, done } = collector();
    expect(await writeLedgerCsv(fromArray([]), out)).toBe(0);
    const text = (await done).toString('utf8');
    expect(text.startsWith('\uFEFF编号,状态,')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(2);
  });

  it('streams 20,000 rows', async () => {
    const sink = counter();
    expect(await writeLedgerCsv(generated(20_000), sink)).toBe(20_000);
    expect(sink.bytes).toBeGreaterThan(20_000 * 100);
    expect(sink.writableFinished).toBe(true);
  }, 10_000);

  it('waits for a slow consumer instead of buffering the ledger', async () => {
    // 1 KB high-water mark and one write per tick: without awaiting 'drain' the whole file
    // (several MB) would sit in the stream's buffer before the consumer caught up.
    const slow = new Writable({
      highWaterMark: 1024,
      write(_chunk: Buffer, _encoding, callback) {
        setImmediate(callback);
      },
    });
    let maxBuffered = 0;
    const rows = generated(20_000, () => {
      maxBuffered = Math.max(maxBuffered, slow.writableLength);
    });
    expect(await writeLedgerCsv(rows, slow)).toBe(20_000);
    expect(maxBuffered).toBeLessThan(256 * 1024); // one 64K-character chunk of UTF-8
  });

  it('stops pulling rows and rejects when the output fails', async () => {
    const broken = new Writable({
      highWaterMark: 1024,
      write(_chunk: Buffer, _encoding, callback) {
        callback(new Error('client went away'));
      },
    });
    broken.on('error', () => undefined);
    let released = false;
    async function* rows(): AsyncGenerator<LedgerRow> {
      try {
        yield* generated(100_000);
      } finally {
        released = true; // where a DB cursor would be closed
      }
    }
    await expect(writeLedgerCsv(rows(), broken)).rejects.toThrow('client went away');
    expect(released).toBe(true);
  });

  it('rejects rather than hangs when the output failed between two writes', async () => {
    // A large buffer: every write returns true, so the failure is not seen while waiting for
    // 'drain' but arrives on its own, after which the stream never emits anything again.
    const flaky = new Writable({
      highWaterMark: 64 * 1024 * 1024,
      write(_chunk: Buffer, _encoding, callback) {
        setImmediate(() => callback(new Error('connection reset')));
      },
    });
    async function* rows(): AsyncGenerator<LedgerRow> {
      for await (const row of generated(100_000)) {
        yield row;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await expect(writeLedgerCsv(rows(), flaky)).rejects.toThrow('connection reset');
  });

  it('rejects at once on an output that is already closed', async () => {
    const gone = counter();
    gone.destroy();
    await expect(writeLedgerCsv(generated(100_000), gone)).rejects.toThrow();
  });

  it('rethrows a failing source without ending the output', async () => {
    const { out } = collector();
    async function* rows(): AsyncGenerator<LedgerRow> {
      yield closedRow;
      throw new Error('cursor failed');
    }
    await expect(writeLedgerCsv(rows(), out)).rejects.toThrow('cursor failed');
    expect(out.writableEnded).toBe(false);
  });
});

describe('writeLedgerXlsx', () => {
  async function roundTrip(rows: readonly LedgerRow[], title?: string) {
    const { out, done } = collector();
    const count = await writeLedgerXlsx(fromArray(rows), out, { title });
    const buffer = await done;
    const workbook = new ExcelJS.Workbook();
    // exceljs types `load` as taking an ArrayBuffer-like `Buffer` that a Node Buffer does not
    // satisfy, so hand it the bytes as an ArrayBuffer (which it accepts at run time too).
    await workbook.xlsx.load(
      buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength),
    );
    return { count, workbook };
  }

  it('drops the characters XML forbids, which would make Excel refuse the file', async () => {
    const hostile = {
      ...closedRow,
      description: '堆物\u0001\u000b\uFFFE\uFFFF清理',
      unitName: '城关\u0008街道',
    };
    const { workbook } = await roundTrip([hostile]);
    const sheet = workbook.getWorksheet(LEDGER_SHEET_NAME);
    expect(sheet?.getCell('H2').value).toBe('堆物清理');
    expect(sheet?.getCell('E2').value).toBe('城关街道');
  });

  it('round-trips headers, values and the row count', async () => {
    const { count, workbook } = await roundTrip([closedRow, overdueRow, pendingRow]);
    expect(count).toBe(3);
    expect(workbook.worksheets).toHaveLength(1);
    const sheet = workbook.getWorksheet(LEDGER_SHEET_NAME);
    if (!sheet) throw new Error('sheet 整改台账 missing');

    expect(sheet.rowCount).toBe(4);
    const header = sheet.getRow(1);
    expect(LEDGER_XLSX_HEADERS.map((_, i) => header.getCell(i + 1).value)).toEqual(
      LEDGER_XLSX_HEADERS,
    );
    expect(header.getCell(1).font?.bold).toBe(true);
    expect(header.getCell(1).alignment?.wrapText).toBe(true);

    const cell = (header: string, row: number) => sheet.getRow(row).getCell(xlsxColumn(header));
    expect(cell('编号', 2).value).toBe('ZG20261110-0001');
    expect(cell('状态', 2).value).toBe('已销号');
    expect(cell('问题描述', 2).value).toBe('3号楼楼道堆放纸箱, "杂物"\n阻塞消防通道');
    expect(cell('发现时间', 2).value).toBe('2026-11-10 09:05'); // text, not an Excel date
    expect(cell('整改情况', 2).value).toBe('已清理纸箱杂物，通道畅通');
    expect(cell('复查\n结果', 2).value).toBe('合格');
    expect(cell('复查人', 2).value).toBe('王督导');
    expect(cell('签收时间', 2).value).toBe('2026-11-10 09:42');
    expect(cell('签收人', 3).value).toBe('城管局工单接口');
    expect(cell('签收人', 4).value).toBeNull();
    expect(cell('返工\n次数', 2).value).toBe(1); // counts stay numbers
    // xlsx has no formula injection: a string cell is never evaluated, so it is kept verbatim.
    expect(cell('问题描述', 3).value).toBe('=HYPERLINK("http://evil.example","点击")');
    expect(cell('是否\n超期', 3).value).toBe('是');
    expect(cell('是否\n超期', 3).fill).toMatchObject({ fgColor: { argb: 'FFFF6B6B' } });
    expect(cell('是否\n超期', 2).fill).toEqual({ type: 'pattern', pattern: 'none' });
    expect(cell('超期时长\n(小时)', 3).value).toBe(26.5);
    expect(cell('超期时长\n(小时)', 3).numFmt).toBe('0.0');
    expect(cell('责任单位', 4).value).toBeNull();

    // One link per photo, each its own cell; the print area stops before them.
    expect(cell('整改后照片\n1', 2).value).toEqual({
      formula: 'HYPERLINK("/api/v1/attachments/22222222-2222-4222-8222-222222222222","照片1")',
      result: '照片1',
    });
    expect(cell('整改后照片\n2', 2).value).toMatchObject({ result: '照片2' });
    expect(cell('整改后照片\n3', 2).value).toBeNull();
    expect(cell('整改前照片\n1', 3).value).toBeNull();

    expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
    expect(sheet.autoFilter).toBe(`A1:${columnName(LEDGER_XLSX_HEADERS.length)}4`);
    expect(sheet.getColumn(xlsxColumn('问题描述')).width).toBe(20);
  });

  it('is laid out for A3 landscape, one page wide, the header on every page', async () => {
    const { workbook } = await roundTrip([pendingRow], '整改台账（2026年11月）');
    const sheet = workbook.getWorksheet(LEDGER_SHEET_NAME);
    if (!sheet) throw new Error('sheet 整改台账 missing');
    expect(sheet.pageSetup).toMatchObject({
      paperSize: 8,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
      printArea: `A1:${columnName(LEDGER_PRINTED_COLUMNS)}2`,
    });
    expect(sheet.headerFooter.oddHeader).toContain('整改台账（2026年11月）');
    expect(sheet.headerFooter.oddFooter).toBe('&C第 &P 页 共 &N 页');
    expect(workbook.title).toBe('整改台账（2026年11月）');
    // Every printed column has a width of its own, and they add up to what A3 holds legibly.
    const widths = LEDGER_XLSX_HEADERS.slice(0, LEDGER_PRINTED_COLUMNS).map(
      (_, i) => sheet.getColumn(i + 1).width ?? 0,
    );
    expect(Math.min(...widths)).toBeGreaterThanOrEqual(5);
    // 299 before 来源 (5.5) joined the printed columns; 303 with 签收时间 and 签收人, which the
    // narrower text, name and time columns make room for.
    expect(widths.reduce((a, b) => a + b, 0)).toBeLessThan(305);
  });

  it('grows a row to the wrapped text it holds', async () => {
    const long = { ...closedRow, description: '楼道堆物'.repeat(20) };
    const { workbook } = await roundTrip([pendingRow, long]);
    const sheet = workbook.getWorksheet(LEDGER_SHEET_NAME);
    expect(sheet?.getRow(3).height).toBeGreaterThan(sheet?.getRow(2).height ?? 0);
  });

  it('writes a valid workbook for an empty ledger', async () => {
    const { count, workbook } = await roundTrip([]);
    expect(count).toBe(0);
    const sheet = workbook.getWorksheet(LEDGER_SHEET_NAME);
    expect(sheet?.getCell('A1').value).toBe('编号');
    expect(sheet?.rowCount).toBe(1);
  });
  // About a second: exceljs costs ~50 µs a row, more under jest's VM modules.
  it('streams 20,000 rows', async () => {
    const sink = counter();
    expect(await writeLedgerXlsx(generated(20_000), sink, {})).toBe(20_000);
    expect(sink.bytes).toBeGreaterThan(100_000);
    expect(sink.writableFinished).toBe(true);
    // ~5 s alone; a generous limit for a 2-core machine under load (speed is the bench's job).
  }, 60_000);

  it('stops pulling rows while the consumer is not reading', async () => {
    const out = new PassThrough(); // nobody reads it yet: a client on a stalled connection
    let pulled = 0;
    const writing = writeLedgerXlsx(
      generated(20_000, () => (pulled += 1)),
      out,
      {},
    );
    // Where it stalls depends on the row's size (what fills the streams' buffers: a few hundred
    // rows here) and how soon on the machine's load, so wait until pulling stops — or the whole
    // ledger has been pulled, which fails below — rather than a fixed time.
    let stalledAt = -1;
    for (let i = 0; i < 100 && pulled !== stalledAt; i++) {
      stalledAt = pulled;
      await sleep(150);
    }
    await sleep(200);
    expect(pulled).toBe(stalledAt);
    expect(stalledAt).toBeGreaterThan(0);
    expect(stalledAt).toBeLessThan(10_000);

    const bytes = counter();
    out.pipe(bytes);
    expect(await writing).toBe(20_000);
    expect(bytes.bytes).toBeGreaterThan(100_000);
  });

  it('rejects when the output fails', async () => {
    const broken = new Writable({
      write(_chunk: Buffer, _encoding, callback) {
        callback(new Error('client went away'));
      },
    });
    broken.on('error', () => undefined);
    let released = false;
    async function* rows(): AsyncGenerator<LedgerRow> {
      try {
        yield* generated(100_000);
      } finally {
        released = true;
      }
    }
    await expect(writeLedgerXlsx(rows(), broken, {})).rejects.toThrow('client went away');
    expect(released).toBe(true);
  });

  it('rejects at once on an output that is already closed', async () => {
    const gone = counter();
    gone.destroy();
    await expect(writeLedgerXlsx(generated(100_000), gone, {})).rejects.toThrow();
  });

  it('rethrows a failing source without ending the output', async () => {
    const { out } = collector();
    async function* rows(): AsyncGenerator<LedgerRow> {
      yield closedRow;
      throw new Error('cursor failed');
    }
    await expect(writeLedgerXlsx(rows(), out, {})).rejects.toThrow('cursor failed');
    expect(out.writableEnded).toBe(false);
  });
});
