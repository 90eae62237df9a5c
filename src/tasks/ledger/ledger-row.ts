import type { EscalationLevel, Light } from '../deadline/traffic-light.js';
import { officeClock } from '../../common/time/office-zone.js';
import { EVIDENCE_FLAG_LABELS, type EvidenceFlag } from '../evidence/evidence-rules.js';

/**
 * One row of the 整改台账 and its columns: what the office keeps per task, in the order a clerk
 * reads it — the problem, the unit's 整改情况, the 复查, the dates and whether it ran late,
 * 挂账, and links to the photos.
 */
export interface LedgerRow {
  /** ZG-2026-000123; the ledger is in this order. */
  number: string;
  /** Task status code: pending_dispatch | assigned | submitted | on_hold | closed | cancelled. */
  status: string;
  categoryName: string;
  groupName: string;
  unitName: string | null;
  siteName: string | null;
  address: string | null;
  description: string;
  /** e.g. '2026-11-10 公园广场创城督导检查'. */
  inspectionLabel: string | null;
  /** 来源 as the office names it (督导检查, 12345 …; config/sources.json). */
  sourceName: string;
  /**
   * 发现时间: when the problem was found. An instant when known to the minute, or a Shanghai day
   * `YYYY-MM-DD` when only the inspection's day is known (see `foundAtOf`).
   */
  foundAt: Date | string;
  assignedAt: Date | null;
  /**
   * 签收时间 and 签收人 (the unit's user, or its API key's name) of the current assignment: 派遣
   * and 改派 clear them. Empty while unsigned, and always where 签收 is not required.
   */
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  deadline: Date | null;
  /** The latest 整改反馈; for a closed task the one its closure accepted. */
  submittedAt: Date | null;
  /** 整改情况: what the unit wrote in that submission. */
  submissionText: string | null;
  /** The latest 复查: result, who, when, and what they noted. */
  checkResult: 'pass' | 'fail' | null;
  checkedBy: string | null;
  checkedAt: Date | null;
  checkNote: string | null;
  closedAt: Date | null;
  /** 是否超期 and by how many hours (see `ledgerOverdue`). */
  overdue: boolean;
  overdueHours: number;
  light: Light | null;
  escalation: EscalationLevel | null;
  reworkCount: number;
  reopenCount: number;
  extensionCount: number;
  closedOnTime: boolean | null;
  closedUnverified: boolean | null;
  /** 挂账原因 and the day it is to be reviewed, while the task is parked. */
  holdReason: string | null;
  holdReviewOn: string | null;
  beforePhotoIds: readonly string[];
  afterPhotoIds: readonly string[];
  /**
   * 照片存疑 of the submission awaiting 复查 or accepted at closure (evidence-rules.ts); empty
   * for other states and when the photos raised no doubt.
   */
  evidenceFlags: readonly Pick<EvidenceFlag, 'reason' | 'detail'>[];
}

/** null is an empty cell; numbers stay numbers in .xlsx so the office can sort and sum them. */
export type LedgerCell = string | number | null;

/**
 * What a column holds, which decides its width, alignment and number format in .xlsx:
 * `time` is `YYYY-MM-DD HH:mm` (wrapped onto two lines in a narrow column), `flag` 是/否,
 * `count` a whole number, `hours` one decimal, `photos` links (one per photo).
 */
export type LedgerColumnKind =
  'code' | 'label' | 'name' | 'text' | 'longText' | 'time' | 'flag' | 'count' | 'hours' | 'photos';

export type Signal = 'red' | 'yellow' | 'green';

export interface LedgerFormatContext {
  /** The link to a photo, e.g. `https://host/api/v1/attachments/<id>`. */
  photoUrl: (attachmentId: string) => string;
}

export interface LedgerColumn {
  header: string;
  /** The header as printed in a narrow .xlsx column, broken where a reader would break it. */
  xlsxHeader?: string;
  kind: LedgerColumnKind;
  /** Excel width in characters of the default font; a CJK character takes about two. */
  width: number;
  cell: (row: LedgerRow, ctx: LedgerFormatContext) => LedgerCell;
  /** For `photos` columns: the attachment ids. */
  photos?: (row: LedgerRow) => readonly string[];
  /** A colour the .xlsx cell is filled with (the word stays in the cell too). */
  signal?: (row: LedgerRow) => Signal | null;
}

export const LEDGER_STATUS_LABELS: Readonly<Record<string, string>> = {
  pending_dispatch: '待派遣',
  assigned: '整改中',
  submitted: '待复查',
  on_hold: '挂账',
  closed: '已销号',
  cancelled: '已撤销',
};

export const LEDGER_LIGHT_LABELS: Readonly<Record<Light, string>> = {
  green: '绿灯',
  yellow: '黄灯',
  red: '红灯',
};

export const LEDGER_ESCALATION_LABELS: Readonly<Record<EscalationLevel, string>> = {
  none: '无',
  reminder: '提醒',
  supervise: '督办',
  notify: '通报',
};

export const LEDGER_CHECK_LABELS: Readonly<Record<'pass' | 'fail', string>> = {
  pass: '合格',
  fail: '不合格',
};

/** `YYYY-MM-DD HH:mm` in Beijing time (the office's zone, see common/time/office-zone.ts). */
export function formatLedgerTime(date: Date | null): string | null {
  if (date === null || Number.isNaN(date.getTime())) return null;
  const local = officeClock(date);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`
  );
}

/**
 * 发现时间: the task's found-at time (`tasks.found_at`: the phone's, or the entry time when the
 * client sent none, and for tasks from before it existed) when it falls on the day of its
 * inspection, else the inspection's day alone (a problem typed up at the office the next day
 * without a time: the entry time would be wrong, the day is right), else — a task without an
 * inspection — the found-at time.
 */
export function foundAtOf(foundAt: Date, inspectionDay: string | null): Date | string {
  if (inspectionDay === null) return foundAt;
  const found = formatLedgerTime(foundAt);
  return found?.startsWith(inspectionDay) ? foundAt : inspectionDay;
}

function yesNo(value: boolean | null): string | null {
  return value === null ? null : value ? '是' : '否';
}

/**
 * Hours overdue to one decimal, empty while on time ("0" would read as "overdue by nothing").
 * A task a few minutes late still shows 0.1 rather than rounding down to look on time.
 */
function overdueHoursCell(row: LedgerRow): number | null {
  if (!row.overdue) return null;
  return Math.max(0.1, Math.round(row.overdueHours * 10) / 10);
}

/** The reasons, each once, in the office's words: 拍摄早于派遣、无拍摄信息. */
function evidenceCell(row: LedgerRow): string | null {
  const labels = [
    ...new Set(row.evidenceFlags.map((f) => EVIDENCE_FLAG_LABELS[f.reason] ?? f.reason)),
  ];
  return labels.length ? labels.join('、') : null;
}

const photoList = (ids: readonly string[], ctx: LedgerFormatContext): string | null =>
  ids.length ? ids.map(ctx.photoUrl).join('\n') : null;

/** Default widths by kind; a column may set its own. */
const WIDTH: Readonly<Record<LedgerColumnKind, number>> = {
  code: 14,
  label: 7,
  name: 10,
  text: 13,
  longText: 20,
  time: 10,
  flag: 5.5,
  count: 5.5,
  hours: 7,
  photos: 8,
};

type Def = Omit<LedgerColumn, 'width'> & { width?: number };
const col = (def: Def): LedgerColumn => ({ ...def, width: def.width ?? WIDTH[def.kind] });

export const LEDGER_COLUMNS: readonly LedgerColumn[] = [
  col({ header: '编号', kind: 'code', cell: (r) => r.number }),
  col({
    header: '状态',
    kind: 'label',
    // An unknown code is shown as is rather than failing a whole export over one new status.
    cell: (r) => LEDGER_STATUS_LABELS[r.status] ?? r.status,
  }),
  col({ header: '问题类别', kind: 'name', width: 9.5, cell: (r) => r.categoryName }),
  col({ header: '类别分组', kind: 'name', width: 8, cell: (r) => r.groupName }),
  col({ header: '责任单位', kind: 'name', cell: (r) => r.unitName }),
  col({ header: '点位', kind: 'name', cell: (r) => r.siteName }),
  col({ header: '地址', kind: 'text', width: 11, cell: (r) => r.address }),
  col({ header: '问题描述', kind: 'longText', cell: (r) => r.description }),
  col({
    header: '所属督导检查',
    xlsxHeader: '所属督导\n检查',
    kind: 'text',
    width: 10,
    cell: (r) => r.inspectionLabel,
  }),
  col({ header: '来源', kind: 'label', width: 5.5, cell: (r) => r.sourceName }),
  col({
    header: '发现时间',
    kind: 'time',
    cell: (r) => (typeof r.foundAt === 'string' ? r.foundAt : formatLedgerTime(r.foundAt)),
  }),
  col({ header: '派遣时间', kind: 'time', cell: (r) => formatLedgerTime(r.assignedAt) }),
  col({
    header: '签收时间',
    kind: 'time',
    cell: (r) => formatLedgerTime(r.acknowledgedAt),
  }),
  col({ header: '签收人', kind: 'name', width: 7, cell: (r) => r.acknowledgedBy }),
  col({ header: '整改时限', kind: 'time', cell: (r) => formatLedgerTime(r.deadline) }),
  col({ header: '反馈时间', kind: 'time', cell: (r) => formatLedgerTime(r.submittedAt) }),
  col({ header: '整改情况', kind: 'longText', width: 18, cell: (r) => r.submissionText }),
  col({
    header: '复查结果',
    xlsxHeader: '复查\n结果',
    kind: 'label',
    cell: (r) => (r.checkResult ? LEDGER_CHECK_LABELS[r.checkResult] : null),
    signal: (r) => (r.checkResult === 'fail' ? 'red' : null),
  }),
  col({ header: '复查人', kind: 'name', width: 7, cell: (r) => r.checkedBy }),
  col({ header: '复查时间', kind: 'time', cell: (r) => formatLedgerTime(r.checkedAt) }),
  col({ header: '复查意见', kind: 'text', width: 10, cell: (r) => r.checkNote }),
  col({ header: '销号时间', kind: 'time', cell: (r) => formatLedgerTime(r.closedAt) }),
  col({
    header: '是否超期',
    xlsxHeader: '是否\n超期',
    kind: 'flag',
    cell: (r) => yesNo(r.overdue),
    signal: (r) => (r.overdue ? 'red' : null),
  }),
  col({
    header: '超期时长(小时)',
    xlsxHeader: '超期时长\n(小时)',
    kind: 'hours',
    cell: overdueHoursCell,
  }),
  col({
    header: '亮灯',
    kind: 'flag',
    cell: (r) => (r.light === null ? null : LEDGER_LIGHT_LABELS[r.light]),
    signal: (r) => r.light,
  }),
  col({
    header: '督办等级',
    xlsxHeader: '督办\n等级',
    kind: 'flag',
    cell: (r) => (r.escalation === null ? null : LEDGER_ESCALATION_LABELS[r.escalation]),
  }),
  col({ header: '返工次数', xlsxHeader: '返工\n次数', kind: 'count', cell: (r) => r.reworkCount }),
  col({ header: '反弹次数', xlsxHeader: '反弹\n次数', kind: 'count', cell: (r) => r.reopenCount }),
  col({
    header: '延期次数',
    xlsxHeader: '延期\n次数',
    kind: 'count',
    cell: (r) => r.extensionCount,
  }),
  col({
    header: '按期销号',
    xlsxHeader: '按期\n销号',
    kind: 'flag',
    cell: (r) => yesNo(r.closedOnTime),
  }),
  col({
    header: '未经复查销号',
    xlsxHeader: '未经复查\n销号',
    kind: 'flag',
    width: 6.5,
    cell: (r) => yesNo(r.closedUnverified),
  }),
  col({ header: '挂账原因', kind: 'text', width: 10, cell: (r) => r.holdReason }),
  col({
    header: '挂账复查日期',
    xlsxHeader: '挂账复查\n日期',
    kind: 'time',
    cell: (r) => r.holdReviewOn,
  }),
  col({
    header: '照片存疑',
    xlsxHeader: '照片\n存疑',
    kind: 'text',
    width: 7,
    cell: evidenceCell,
    signal: (r) => (r.evidenceFlags.length ? 'yellow' : null),
  }),
  col({
    header: '整改前照片',
    kind: 'photos',
    cell: (r, ctx) => photoList(r.beforePhotoIds, ctx),
    photos: (r) => r.beforePhotoIds,
  }),
  col({
    header: '整改后照片',
    kind: 'photos',
    cell: (r, ctx) => photoList(r.afterPhotoIds, ctx),
    photos: (r) => r.afterPhotoIds,
  }),
];

/** The API path of a photo, for when no absolute address is known. */
export const DEFAULT_LEDGER_CONTEXT: LedgerFormatContext = {
  photoUrl: (id) => `/api/v1/attachments/${id}`,
};

/**
 * One ledger row as display cells, in `LEDGER_COLUMNS` order (a `photos` cell lists the links,
 * one per line, as the CSV has them).
 */
export function formatLedgerRow(
  row: LedgerRow,
  ctx: LedgerFormatContext = DEFAULT_LEDGER_CONTEXT,
): LedgerCell[] {
  return LEDGER_COLUMNS.map((c) => c.cell(row, ctx));
}
