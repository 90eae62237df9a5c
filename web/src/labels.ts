import type { TaskAction, TaskStatus } from '@/api/client';

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info';

export const STATUS: Record<TaskStatus, { label: string; type: TagType }> = {
  pending_dispatch: { label: '待派遣', type: 'warning' },
  assigned: { label: '待整改', type: 'primary' },
  submitted: { label: '待复查', type: 'info' },
  on_hold: { label: '挂账', type: 'info' },
  closed: { label: '已销号', type: 'success' },
  cancelled: { label: '已撤销', type: 'info' },
};
export const STATUS_ORDER = Object.keys(STATUS) as TaskStatus[];

export const LIGHT: Record<'green' | 'yellow' | 'red', { label: string; color: string }> = {
  green: { label: '绿灯', color: '#1f9d55' },
  yellow: { label: '黄灯', color: '#d69e00' },
  red: { label: '红灯', color: '#d93025' },
};

export const ESCALATION: Record<string, { label: string; type: TagType } | undefined> = {
  none: undefined,
  reminder: { label: '提醒', type: 'warning' },
  supervise: { label: '督办', type: 'danger' },
  notify: { label: '通报', type: 'danger' },
};

export const CARD: Record<'green' | 'yellow' | 'red', { label: string; color: string }> = {
  green: { label: '绿牌', color: '#1f9d55' },
  yellow: { label: '黄牌', color: '#d69e00' },
  red: { label: '红牌', color: '#d93025' },
};

export const ACTION: Record<TaskAction, string> = {
  dispatch: '派遣',
  reassign: '改派',
  submit: '提交整改',
  check_pass: '复查通过',
  check_fail: '复查不通过',
  request_extension: '申请延期',
  approve_extension: '批准延期',
  refuse_extension: '不批准延期',
  dispute: '申请退回',
  uphold_dispute: '同意退回',
  reject_dispute: '驳回退回申请',
  hold: '挂账',
  resume: '恢复办理',
  cancel: '撤销',
  mark_duplicate: '标为重复',
  reopen: '重新打开',
  override_deadline: '调整时限',
  acknowledge: '签收',
};

export const EVENT_ACTION: Record<string, string> = {
  create: '立案',
  ...ACTION,
  check: '复查',
  extension_request: '申请延期',
  extension_decision: '延期审批',
  dispute_decision: '退回审批',
  observe: '补充现场记录',
  recur: '问题反弹',
};

/** 照片存疑: why an after-photo is in doubt (the server's evidence rules). */
export const EVIDENCE_REASON: Record<string, string> = {
  taken_before_assignment: '拍摄早于派遣',
  too_far: '拍摄地点过远',
  no_capture_data: '无拍摄信息',
};

export const ROLE: Record<string, string> = {
  admin: '创城办',
  inspector: '督导员',
  unit: '责任单位',
};

const TZ = 'Asia/Shanghai';
const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const dateOnly = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** A time as the office reads it: Beijing time, `2026/12/01 13:05`. */
export function fmtTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}
export function fmtDate(iso: string | null | undefined): string {
  return iso ? dateOnly.format(new Date(iso)) : '—';
}

/** `剩余 2天3小时` / `超期 5小时` from now to a deadline. */
export function countdown(deadline: string | null, now = Date.now()): string {
  if (!deadline) return '—';
  const ms = new Date(deadline).getTime() - now;
  const h = Math.floor(Math.abs(ms) / 3_600_000);
  const text =
    h >= 24
      ? `${Math.floor(h / 24)}天${h % 24}小时`
      : `${h}小时${Math.floor((Math.abs(ms) % 3_600_000) / 60_000)}分`;
  return ms >= 0 ? `剩余 ${text}` : `超期 ${text}`;
}

export function pct(x: number | null | undefined): string {
  return x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`;
}

/** 复查方式 of a category. */
export const POLICY: Record<'on_site' | 'spot_check' | 'self_close', string> = {
  on_site: '现场复查',
  spot_check: '按比例抽查',
  self_close: '单位自行销号',
};
