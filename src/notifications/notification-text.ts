import { officeClock } from '../common/time/office-zone.js';
import {
  ESCALATION_LEVELS,
  type EscalationLevel,
  type OfficeEscalationLevel,
} from './escalation-level.js';

/**
 * The text of every notification, as the office writes it: the task number, what changed, and
 * the deadline or requested date in Asia/Shanghai (`2026年12月10日`, with the time when it is
 * not the end or start of a day: `2026年12月10日17:30`).
 */

/** Shanghai calendar day of an instant: `2026年12月10日`. */
export function shanghaiDay(d: Date): string {
  const b = officeClock(d);
  return `${b.getUTCFullYear()}年${b.getUTCMonth() + 1}月${b.getUTCDate()}日`;
}

/**
 * A deadline in Shanghai time: the day, and the time of day unless the deadline is at midnight
 * or the last minute of the day (a date the client chose), where the day alone says it.
 */
export function shanghaiDeadline(d: Date): string {
  const b = officeClock(d);
  const hh = b.getUTCHours();
  const mm = b.getUTCMinutes();
  if ((hh === 0 && mm === 0) || (hh === 23 && mm === 59)) return shanghaiDay(d);
  return `${shanghaiDay(d)}${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}

export interface TaskFacts {
  number: string;
  categoryName: string;
  description: string;
  place: string;
  deadline: Date | null;
  unitName: string | null;
}

/** What an event recorded beside the task: the facts the text needs that the task no longer holds. */
export interface EventFacts {
  note: string | null;
  /** request_extension: the date asked for. */
  requestedDeadline?: Date;
  /** The deadline the event set (approve_extension, override_deadline, resume, reopen …). */
  deadline?: Date | null;
  /** reassign: the unit the task went to; mark_duplicate: the task it duplicates. */
  unitToName?: string | null;
  duplicateOf?: string | null;
  /** The unit that acted (request_extension, dispute). */
  unitName?: string | null;
  holdReviewOn?: string | null;
}

export type TaskNotificationKind =
  | 'assigned'
  | 'reassigned_away'
  | 'returned'
  | 'reopened'
  | 'closed'
  | 'cancelled'
  | 'duplicate'
  | 'held'
  | 'resumed'
  | 'deadline_changed'
  | 'extension_approved'
  | 'extension_refused'
  | 'extension_requested'
  | 'disputed'
  | 'dispute_upheld'
  | 'dispute_rejected'
  | 'awaiting_check';

export type NotificationKind = TaskNotificationKind | 'escalation' | 'overdue_summary';

export const LEVEL_LABEL: Record<EscalationLevel, string> = {
  reminder: '提醒',
  supervise: '督办',
  notify: '通报',
};

/** The inbox text of one task notification. */
export function notificationText(
  kind: TaskNotificationKind,
  t: TaskFacts,
  e: EventFacts,
): { title: string; body: string } {
  const what = `${t.categoryName}：${t.description}（${t.place}）`;
  const why = e.note ? `。说明：${e.note}` : '';
  const deadline = e.deadline ?? t.deadline;
  const due = deadline ? `，整改时限${shanghaiDeadline(deadline)}` : '';
  const n = t.number;
  switch (kind) {
    case 'assigned':
      return { title: `新整改任务 ${n}`, body: `${what}${due}${why}。` };
    case 'reassigned_away':
      return {
        title: `${n} 已改派${e.unitToName ? `至${e.unitToName}` : ''}`,
        body: `${what}。该任务已不再由你单位整改${why}。`,
      };
    case 'returned':
      return { title: `${n} 复查未通过，请返工`, body: `${what}${due}${why}。` };
    case 'reopened':
      return { title: `${n} 问题反弹，请重新整改`, body: `${what}${due}${why}。` };
    case 'closed':
      return { title: `${n} 复查通过，已销号`, body: `${what}${why}。` };
    case 'cancelled':
      return { title: `${n} 已撤销`, body: `${what}。无需继续整改${why}。` };
    case 'duplicate':
      return {
        title: `${n} 已作为重复任务撤销`,
        body: `${what}。与${e.duplicateOf ?? '另一任务'}重复，无需继续整改${why}。`,
      };
    case 'held':
      return {
        title: `${n} 已挂账`,
        body: `${what}。暂停整改计时${e.holdReviewOn ? `，${e.holdReviewOn.replace(/^(\d{4})-0?(\d+)-0?(\d+)$/, '$1年$2月$3日')}复核` : ''}${why}。`,
      };
    case 'resumed':
      return { title: `${n} 恢复整改`, body: `${what}${due}${why}。` };
    case 'deadline_changed':
      return {
        title: `${n} 整改时限调整为 ${deadline ? shanghaiDeadline(deadline) : ''}`,
        body: `${what}${due}${why}。`,
      };
    case 'extension_approved':
      return {
        title: `${n} 延期申请已批准`,
        body: `新的整改时限${deadline ? shanghaiDeadline(deadline) : ''}${why}。`,
      };
    case 'extension_refused':
      return { title: `${n} 延期申请未获批准`, body: `请按原时限完成整改${due}${why}。` };
    case 'extension_requested':
      return {
        title: `${n} 申请延期至 ${e.requestedDeadline ? shanghaiDeadline(e.requestedDeadline) : ''}`,
        body: `${e.unitName ?? t.unitName ?? ''}申请延期。${what}${due}${why}。`,
      };
    case 'disputed':
      return {
        title: `${e.unitName ?? t.unitName ?? ''}对 ${n} 提出申诉`,
        body: `${what}${why}。`,
      };
    case 'dispute_upheld':
      return {
        title: `${n} 申诉成立，已退回创城办重新派遣`,
        body: `${what}。该任务已不再由你单位整改${why}。`,
      };
    case 'dispute_rejected':
      return { title: `${n} 申诉未获支持，请继续整改`, body: `${what}${due}${why}。` };
    case 'awaiting_check':
      return {
        title: `${n} 已整改反馈，待复查`,
        body: `${t.unitName ?? ''}已反馈整改情况。${what}${why}。`,
      };
  }
}

export interface EscalatedTask {
  number: string;
  level: EscalationLevel;
  deadline: Date;
}

const MAX_LISTED = 20;

const listed = (tasks: EscalatedTask[]): string =>
  tasks
    .slice(0, MAX_LISTED)
    .map((x) => x.number)
    .join('、') + (tasks.length > MAX_LISTED ? `等${tasks.length}个任务` : '');

/** A unit's escalations of one scan, in one notification: highest level first. */
export function unitEscalationText(tasks: EscalatedTask[]): { title: string; body: string } {
  const parts = [...ESCALATION_LEVELS].reverse().flatMap((level) => {
    const at = tasks.filter((x) => x.level === level);
    if (!at.length) return [];
    const what =
      level === 'reminder'
        ? '即将到期，请抓紧整改'
        : level === 'supervise'
          ? '已超期，请立即整改并反馈'
          : '长期超期未整改，将予以通报';
    return [{ level, text: `${LEVEL_LABEL[level]}：${listed(at)}${what}。`, n: at.length }];
  });
  const top = parts[0];
  const counts = parts.map((p) => `${LEVEL_LABEL[p.level]}${p.n}个`).join('，');
  return {
    title: `${LEVEL_LABEL[top.level]}：你单位${tasks.length}个整改任务（${counts}）`,
    body: parts.map((p) => p.text).join(''),
  };
}

/** The office's summary of one escalation level in one scan. */
export function officeEscalationText(
  level: OfficeEscalationLevel,
  byUnit: { unitName: string; n: number }[],
): { title: string; body: string } {
  const total = byUnit.reduce((s, u) => s + u.n, 0);
  const units = byUnit.map((u) => `${u.unitName}${u.n}个`).join('、');
  return level === 'supervise'
    ? { title: `督办：${total} 个任务已超期`, body: `本次扫描新超期${total}个任务：${units}。` }
    : {
        title: `通报：${total} 个任务严重超期`,
        body: `本次扫描新达到通报等级${total}个任务：${units}。`,
      };
}
