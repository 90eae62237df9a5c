import { Duplex, PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { readZipEntry } from '../../reports/bulletin/docx-text.js';
import type { EvidenceFlag } from '../evidence/evidence-rules.js';
import {
  LEDGER_COLUMNS,
  LEDGER_PRINTED_COLUMNS,
  LEDGER_SHEET_NAME,
  LEDGER_XLSX_HEADERS,
  foundAtOf,
  type LedgerColumnKind,
  type LedgerRow,
  type LedgerXlsxOptions,
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

/**
 * Rows the streaming tests push through. Under mutation testing (Stryker's worker process sets
 * STRYKER_MUTATOR_WORKER) every mutant of the row formatting runs these tests, and 20,000 rows
 * through .xlsx take seconds each time; 4,000 still fill every buffer the tests watch (about a
 * megabyte of CSV, several of exceljs' 64 KB batches) at a fifth of the cost.
 */
const STREAMED_ROWS = process.env.STRYKER_MUTATOR_WORKER === undefined ? 20_000 : 4_000;

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

  it('streams 20,000 rows (4,000 under mutation testing)', async () => {
    const sink = counter();
    expect(await writeLedgerCsv(generated(STREAMED_ROWS), sink)).toBe(STREAMED_ROWS);
    expect(sink.bytes).toBeGreaterThan(STREAMED_ROWS * 100);
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
    const rows = generated(STREAMED_ROWS, () => {
      maxBuffered = Math.max(maxBuffered, slow.writableLength);
    });
    expect(await writeLedgerCsv(rows, slow)).toBe(STREAMED_ROWS);
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

  it('leaves the output unended when it fails after the last write was taken', async () => {
    // The one write of a small ledger fills the 1-byte buffer and waits for 'drain'; right after
    // 'drain' the output reports an error, as a stream that is not a stream.Writable (http's
    // OutgoingMessage, a legacy stream) can without entering an errored state. The wait is over,
    // so only end() can see the failure: ending the output would pass off a failed export as
    // complete.
    const sink = new Writable({
      highWaterMark: 1,
      write(_chunk: Buffer, _encoding, callback) {
        setImmediate(callback);
      },
    });
    const writing = writeLedgerCsv(fromArray([closedRow]), sink);
    sink.once('drain', () => sink.emit('error', new Error('reset after the last write')));
    await expect(writing).rejects.toThrow('reset after the last write');
    expect(sink.writableEnded).toBe(false);
  });

  it("ignores a 'drain' that no write of the export waits for", async () => {
    // A NodeJS.WritableStream may emit 'drain' for a write it took before the export began.
    const { out, done } = collector();
    async function* rows(): AsyncGenerator<LedgerRow> {
      out.emit('drain');
      yield closedRow;
    }
    expect(await writeLedgerCsv(rows(), out)).toBe(1);
    expect((await done).toString('utf8')).toContain('ZG20261110-0001,');
  });

  it('rejects rather than waits when the output reports an error from within write()', async () => {
    // stream.Writable reports errors on a later tick, but a NodeJS.WritableStream may emit one
    // while write() runs and return false: no 'drain', 'error' or 'close' follows.
    const refusing = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    refusing.write = () => {
      refusing.emit('error', new Error('refused at once'));
      return false;
    };
    await expect(writeLedgerCsv(fromArray([closedRow]), refusing)).rejects.toThrow(
      'refused at once',
    );
    expect(refusing.writableEnded).toBe(false);
  }, 2_000);

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
  it('streams 20,000 rows (4,000 under mutation testing)', async () => {
    const sink = counter();
    expect(await writeLedgerXlsx(generated(STREAMED_ROWS), sink, {})).toBe(STREAMED_ROWS);
    expect(sink.bytes).toBeGreaterThan(100_000);
    expect(sink.writableFinished).toBe(true);
    // ~5 s alone; a generous limit for a 2-core machine under load (speed is the bench's job).
  }, 60_000);

  it('stops pulling rows while the consumer is not reading', async () => {
    const out = new PassThrough(); // nobody reads it yet: a client on a stalled connection
    let pulled = 0;
    const writing = writeLedgerXlsx(
      generated(STREAMED_ROWS, () => (pulled += 1)),
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
    expect(stalledAt).toBeLessThan(STREAMED_ROWS / 2);

    const bytes = counter();
    out.pipe(bytes);
    expect(await writing).toBe(STREAMED_ROWS);
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

describe('LEDGER_COLUMNS', () => {
  // header, .xlsx header, kind, width: what decides each column's look in .xlsx.
  const COLUMNS: [string, string, LedgerColumnKind, number][] = [
    ['编号', '编号', 'code', 14],
    ['状态', '状态', 'label', 7],
    ['问题类别', '问题类别', 'name', 9.5],
    ['类别分组', '类别分组', 'name', 8],
    ['责任单位', '责任单位', 'name', 10],
    ['点位', '点位', 'name', 10],
    ['地址', '地址', 'text', 11],
    ['问题描述', '问题描述', 'longText', 20],
    ['所属督导检查', '所属督导\n检查', 'text', 10],
    ['来源', '来源', 'label', 5.5],
    ['发现时间', '发现时间', 'time', 10],
    ['派遣时间', '派遣时间', 'time', 10],
    ['签收时间', '签收时间', 'time', 10],
    ['签收人', '签收人', 'name', 7],
    ['整改时限', '整改时限', 'time', 10],
    ['反馈时间', '反馈时间', 'time', 10],
    ['整改情况', '整改情况', 'longText', 18],
    ['复查结果', '复查\n结果', 'label', 7],
    ['复查人', '复查人', 'name', 7],
    ['复查时间', '复查时间', 'time', 10],
    ['复查意见', '复查意见', 'text', 10],
    ['销号时间', '销号时间', 'time', 10],
    ['是否超期', '是否\n超期', 'flag', 5.5],
    ['超期时长(小时)', '超期时长\n(小时)', 'hours', 7],
    ['亮灯', '亮灯', 'flag', 5.5],
    ['督办等级', '督办\n等级', 'flag', 5.5],
    ['返工次数', '返工\n次数', 'count', 5.5],
    ['反弹次数', '反弹\n次数', 'count', 5.5],
    ['延期次数', '延期\n次数', 'count', 5.5],
    ['按期销号', '按期\n销号', 'flag', 5.5],
    ['未经复查销号', '未经复查\n销号', 'flag', 6.5],
    ['挂账原因', '挂账原因', 'text', 10],
    ['挂账复查日期', '挂账复查\n日期', 'time', 10],
    ['照片存疑', '照片\n存疑', 'text', 7],
    ['整改前照片', '整改前照片', 'photos', 8],
    ['整改后照片', '整改后照片', 'photos', 8],
  ];

  it('gives each column its kind and width', () => {
    expect(
      LEDGER_COLUMNS.map((c) => [c.header, c.xlsxHeader ?? c.header, c.kind, c.width]),
    ).toEqual(COLUMNS);
  });

  it('prints the .xlsx headers in two tidy lines, a photo column as three numbered slots', () => {
    const printed = COLUMNS.flatMap(([header, xlsxHeader, kind]) =>
      kind === 'photos' ? [1, 2, 3].map((n) => `${header}\n${n}`) : [xlsxHeader],
    );
    expect(LEDGER_XLSX_HEADERS).toEqual(printed);
    expect(LEDGER_PRINTED_COLUMNS).toBe(COLUMNS.length - 2);
  });

  it.each<[string, Partial<LedgerRow>, string | null]>([
    ['复查结果', { checkResult: 'fail' }, 'red'],
    ['复查结果', { checkResult: 'pass' }, null],
    ['复查结果', { checkResult: null }, null],
    ['是否超期', { overdue: true }, 'red'],
    ['是否超期', { overdue: false }, null],
    ['亮灯', { light: 'yellow' }, 'yellow'],
    ['亮灯', { light: 'green' }, 'green'],
    ['亮灯', { light: null }, null],
    ['照片存疑', { evidenceFlags: [{ reason: 'too_far', detail: '…' }] }, 'yellow'],
    ['照片存疑', { evidenceFlags: [] }, null],
  ])('colours %s of %j %p', (header, fields, signal) => {
    const column = LEDGER_COLUMNS.find((c) => c.header === header);
    expect(column?.signal?.({ ...closedRow, ...fields })).toBe(signal);
  });

  it('colours only 复查结果, 是否超期, 亮灯 and 照片存疑', () => {
    expect(LEDGER_COLUMNS.filter((c) => c.signal).map((c) => c.header)).toEqual([
      '复查结果',
      '是否超期',
      '亮灯',
      '照片存疑',
    ]);
    expect(LEDGER_COLUMNS.filter((c) => c.photos).map((c) => c.header)).toEqual([
      '整改前照片',
      '整改后照片',
    ]);
  });

  it('shows an evidence reason it has no words for as is', () => {
    const row = {
      ...closedRow,
      evidenceFlags: [{ reason: 'blurred' as EvidenceFlag['reason'], detail: '…' }],
    };
    const at = formatLedgerRow(row)[LEDGER_COLUMNS.findIndex((c) => c.header === '照片存疑')];
    expect(at).toBe('blurred');
  });

  it('shows the inspection day for a found-at time it cannot read', () => {
    expect(foundAtOf(new Date(Number.NaN), '2026-11-18')).toBe('2026-11-18');
  });

  it('formats 按期销号 and 未经复查销号 as 是/否, empty while open', () => {
    const cells = (closedOnTime: boolean | null, closedUnverified: boolean | null) => {
      const row = formatLedgerRow({ ...closedRow, closedOnTime, closedUnverified });
      return ['按期销号', '未经复查销号'].map(
        (h) => row[LEDGER_COLUMNS.findIndex((c) => c.header === h)],
      );
    };
    expect(cells(true, false)).toEqual(['是', '否']);
    expect(cells(false, true)).toEqual(['否', '是']);
    expect(cells(null, null)).toEqual([null, null]);
  });
});

describe('writeLedgerCsv: chunks', () => {
  it('writes every row once, in order, across its 64K chunks', async () => {
    const { out, done } = collector();
    expect(await writeLedgerCsv(generated(STREAMED_ROWS), out)).toBe(STREAMED_ROWS);
    const lines = (await done).toString('utf8').split('\r\n');
    expect(lines).toHaveLength(STREAMED_ROWS + 2);
    expect(lines[0]).toBe(`\uFEFF${HEADERS.join(',')}`);
    expect(lines.at(-1)).toBe('');
    const numbers = lines.slice(1, -1).map((line) => line.slice(0, line.indexOf(',')));
    expect(numbers).toEqual(
      Array.from({ length: STREAMED_ROWS }, (_, i) => `ZG2026-${String(i).padStart(6, '0')}`),
    );
  });

  it('sends a chunk once it reaches 64K characters, not one row later', async () => {
    // The BOM, the header and a first row whose 整改情况 is padded so that they make exactly
    // 65,536 characters, then a second row: the first write is those 65,536 characters.
    const writes: string[] = [];
    const sink = new Writable({
      decodeStrings: false,
      write(chunk: string, _encoding, callback) {
        writes.push(chunk);
        callback();
      },
    });
    const line = (row: LedgerRow) => `${formatLedgerRow(row).map(csvField).join(',')}\r\n`;
    const header = `\uFEFF${HEADERS.join(',')}\r\n`;
    const rest = line(pendingRow).length;
    const first = {
      ...pendingRow,
      submissionText: 'x'.repeat(64 * 1024 - header.length - rest),
    };
    expect(header.length + line(first).length).toBe(64 * 1024);
    expect(await writeLedgerCsv(fromArray([first, pendingRow]), sink)).toBe(2);
    expect(writes.map((w) => w.length)).toEqual([64 * 1024, rest]);
  });

  it('links photos through the given address', async () => {
    const { out, done } = collector();
    await writeLedgerCsv(fromArray([closedRow]), out, { photoUrl: (id) => `https://cc/p/${id}` });
    expect((await done).toString('utf8')).toContain(
      ',https://cc/p/11111111-1111-4111-8111-111111111111,',
    );
  });
});

describe('writeLedgerXlsx: cells', () => {
  async function sheetOf(rows: readonly LedgerRow[], opts: LedgerXlsxOptions = {}) {
    const { out, done } = collector();
    await writeLedgerXlsx(fromArray(rows), out, opts);
    const buffer = await done;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(
      buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength),
    );
    const sheet = workbook.getWorksheet(LEDGER_SHEET_NAME);
    if (!sheet) throw new Error('sheet 整改台账 missing');
    return {
      workbook,
      sheet,
      cell: (header: string, row = 2) => sheet.getRow(row).getCell(xlsxColumn(header)),
    };
  }

  const RED = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFF6B6B' } };
  const YELLOW = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFD966' } };

  it('styles each kind of column: text left, labels and numbers centred, links blue', async () => {
    const { cell } = await sheetOf([
      {
        ...overdueRow,
        checkResult: 'fail',
        light: 'yellow',
        beforePhotoIds: ['p1'],
        evidenceFlags: [{ reason: 'too_far', detail: '…' }],
      },
    ]);
    const border = { top: { style: 'thin', color: { argb: 'FF808080' } } };
    const aligned = (horizontal: string) => ({ vertical: 'top', horizontal, wrapText: true });
    for (const [header, horizontal] of [
      ['编号', 'left'],
      ['状态', 'center'],
      ['责任单位', 'left'],
      ['问题描述', 'left'],
      ['发现时间', 'left'],
      ['是否\n超期', 'center'],
      ['返工\n次数', 'center'],
      ['超期时长\n(小时)', 'center'],
      ['整改前照片\n1', 'left'],
    ]) {
      expect([header, cell(header).alignment]).toEqual([header, aligned(horizontal)]);
      expect(cell(header).border).toMatchObject(border);
    }
    expect(cell('编号').font).toEqual({ size: 10 });
    expect(cell('整改前照片\n1').font).toEqual({
      size: 10,
      color: { argb: 'FF0563C1' },
      underline: true,
    });
    expect(cell('返工\n次数').numFmt).toBe('0');
    expect(cell('超期时长\n(小时)').numFmt).toBe('0.0');
    expect(cell('编号').numFmt).toBeUndefined();
    expect(cell('状态').numFmt).toBeUndefined();
    expect(cell('复查\n结果').fill).toEqual(RED);
    expect(cell('是否\n超期').fill).toEqual(RED);
    expect(cell('亮灯').fill).toEqual(YELLOW);
    expect(cell('照片\n存疑').fill).toEqual(YELLOW);
    expect(cell('督办\n等级').fill).toEqual({ type: 'pattern', pattern: 'none' });
  });

  it('says how many photos there are in the last slot, and quotes the link', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const { cell } = await sheetOf([{ ...closedRow, afterPhotoIds: ids, beforePhotoIds: ['x'] }], {
      ctx: { photoUrl: (id) => `https://cc/p?q="${id}"` },
    });
    expect(cell('整改后照片\n1').value).toEqual({
      formula: 'HYPERLINK("https://cc/p?q=""a""","照片1")',
      result: '照片1',
    });
    expect(cell('整改后照片\n3').value).toEqual({
      formula: 'HYPERLINK("https://cc/p?q=""c""","照片3(共5张)")',
      result: '照片3(共5张)',
    });
    expect(cell('整改前照片\n1').value).toMatchObject({ result: '照片1' });
    expect(cell('整改前照片\n2').value).toBeNull();
  });

  it('names exactly three photos without a count', async () => {
    const { cell } = await sheetOf([{ ...closedRow, afterPhotoIds: ['a', 'b', 'c'] }]);
    expect(cell('整改后照片\n3').value).toMatchObject({ result: '照片3' });
  });

  it('cuts a link longer than a formula string may be at 250 characters', async () => {
    const long = 'x'.repeat(300);
    const { cell } = await sheetOf([{ ...closedRow, afterPhotoIds: [long] }], {
      ctx: { photoUrl: (id) => id },
    });
    expect(cell('整改后照片\n1').value).toEqual({
      formula: `HYPERLINK("${'x'.repeat(250)}","照片1")`,
      result: '照片1',
    });
  });

  it('cuts a cell longer than Excel allows, saying so with an ellipsis', async () => {
    const { cell } = await sheetOf([
      { ...closedRow, description: '堆'.repeat(40_000), submissionText: '清'.repeat(32_767) },
    ]);
    const description = cell('问题描述').value as string;
    expect(description).toHaveLength(32_767);
    expect(description.endsWith('堆…')).toBe(true);
    expect(cell('整改情况').value).toBe('清'.repeat(32_767));
  });

  it('names the workbook; a blank title falls back to the sheet name', async () => {
    const { workbook, sheet } = await sheetOf([], { title: '   ' });
    expect(workbook.creator).toBe('创城督导整改');
    expect(workbook.title).toBe(LEDGER_SHEET_NAME);
    expect(sheet.headerFooter.oddHeader).toContain(LEDGER_SHEET_NAME);
    // An empty ledger still filters its header and one row, and prints the header alone.
    expect(sheet.autoFilter).toBe(`A1:${columnName(LEDGER_XLSX_HEADERS.length)}2`);
    expect(sheet.pageSetup.printArea).toBe(`A1:${columnName(LEDGER_PRINTED_COLUMNS)}1`);
  });

  it('keeps the title as given, trimmed', async () => {
    const { workbook } = await sheetOf([], { title: ' 整改台账（11月） ' });
    expect(workbook.title).toBe('整改台账（11月）');
  });

  it('freezes the header and 编号, header bold and three lines high', async () => {
    const { sheet } = await sheetOf([closedRow]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
    expect(sheet.getRow(1).height).toBe(46);
    expect(sheet.getRow(2).height).toBeGreaterThan(17); // the description wraps
    expect(LEDGER_XLSX_HEADERS.map((_, i) => sheet.getColumn(i + 1).width ?? 9)).toEqual(
      LEDGER_COLUMNS.flatMap((c) =>
        c.kind === 'photos' ? [c.width, c.width, c.width] : [c.width],
      ),
    );
  });
});

describe('the output stream', () => {
  /** A sink that counts its writes. */
  function writesCounted(): Writable & { writes: number } {
    const sink = Object.assign(
      new Writable({
        write(_chunk: Buffer, _encoding, callback) {
          sink.writes += 1;
          callback();
        },
      }),
      { writes: 0 },
    );
    return sink;
  }

  it('writes the CSV in chunks of about 64K characters, not a write per row', async () => {
    const sink = writesCounted();
    await writeLedgerCsv(generated(STREAMED_ROWS), sink);
    // ~300 characters a row: STREAMED_ROWS / 200 chunks or so, and the header in the first.
    expect(sink.writes).toBeGreaterThan(STREAMED_ROWS / 400);
    expect(sink.writes).toBeLessThan(STREAMED_ROWS / 100);
  });

  it.each([
    ['CSV', (out: NodeJS.WritableStream) => writeLedgerCsv(fromArray([closedRow]), out)],
    ['.xlsx', (out: NodeJS.WritableStream) => writeLedgerXlsx(fromArray([closedRow]), out)],
  ])('%s: takes its listeners off the output when done', async (_format, write) => {
    const sink = counter();
    await write(sink);
    // finished() is asked to clean up: none of its listeners is left either.
    expect(sink.listenerCount('error')).toBe(0);
    expect(sink.listenerCount('close')).toBe(0);
    expect(sink.listenerCount('finish')).toBe(0);
    expect(sink.listenerCount('drain')).toBe(0);
  });

  it.each([
    ['CSV', (out: NodeJS.WritableStream) => writeLedgerCsv(generated(STREAMED_ROWS), out)],
    ['.xlsx', (out: NodeJS.WritableStream) => writeLedgerXlsx(generated(STREAMED_ROWS), out)],
  ])('%s: says why when the output is closed while it waits to write', async (_format, write) => {
    // Takes the first chunk and never calls back: the export waits for 'drain'.
    const stalled = new Writable({ highWaterMark: 1024, write() {} });
    const writing = write(stalled);
    while (stalled.writableLength === 0) await sleep(5);
    stalled.destroy();
    await expect(writing).rejects.toThrow(
      'ledger export: output closed before the export finished',
    );
  });

  it('refuses an output that is already closed, saying so', async () => {
    const gone = counter();
    gone.destroy();
    await expect(writeLedgerCsv(fromArray([closedRow]), gone)).rejects.toThrow(
      'ledger export: output is no longer writable',
    );
  });

  it('refuses an output someone else already ended', async () => {
    const ended = counter();
    ended.end();
    await expect(writeLedgerCsv(fromArray([closedRow]), ended)).rejects.toThrow(
      'ledger export: output is no longer writable',
    );
  });

  it('resolves once everything is written, whatever the readable side of a duplex does', async () => {
    // A socket-like duplex whose readable side never ends: only the writable side counts.
    const duplex = new Duplex({
      read() {},
      write(_chunk: Buffer, _encoding, callback) {
        callback();
      },
    });
    expect(await writeLedgerCsv(fromArray([closedRow]), duplex)).toBe(1);
    expect(duplex.writableFinished).toBe(true);
  }, 5_000);
});

describe('writeLedgerXlsx: the print area as written', () => {
  it('names absolute corners, AH being the last printed column', async () => {
    const { out, done } = collector();
    await writeLedgerXlsx(fromArray([closedRow]), out);
    const workbook = readZipEntry(await done, 'xl/workbook.xml').toString('utf8');
    expect(workbook).toContain('>&apos;整改台账&apos;!$A$1:$AH$2</definedName>');
  });
});
