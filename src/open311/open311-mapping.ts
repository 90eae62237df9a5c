import { officeClock } from '../common/time/office-zone.js';
import { describeRule, type DeadlineRule } from '../tasks/deadline/deadline.js';
import { statusLabel, type TaskStatus } from '../tasks/task-lifecycle.js';
import type { Open311Value } from './open311-xml.js';

/** GeoReport v2 knows two statuses: `open` (reported) and `closed` (resolved). */
export type Open311Status = 'open' | 'closed';

/** 已销号 and 已撤销 (also a duplicate) are closed; 待派遣, 整改中, 待复查 and 挂账 are open. */
export function open311Status(status: TaskStatus): Open311Status {
  return status === 'closed' || status === 'cancelled' ? 'closed' : 'open';
}

/** The statuses of ours that one Open311 status stands for (for the `status` filter). */
export function taskStatusesOf(status: Open311Status): TaskStatus[] {
  return status === 'closed'
    ? ['closed', 'cancelled']
    : ['pending_dispatch', 'assigned', 'submitted', 'on_hold'];
}

/** Overdue as the rest of the service derives it: with the unit (整改中) past its deadline. */
export function isOverdue(status: TaskStatus, deadline: Date | null, now: Date): boolean {
  return status === 'assigned' && deadline !== null && deadline.getTime() < now.getTime();
}

/** `status_notes`: our status as the office names it, `（超期）` when overdue. */
export function statusNotes(status: TaskStatus, deadline: Date | null, now: Date): string {
  return statusLabel(status) + (isOverdue(status, deadline, now) ? '（超期）' : '');
}

/**
 * A W3C date-time (the spec's format) in the office's zone: `2026-11-18T09:35:00+08:00`.
 * China keeps UTC+8 all year, so the offset is fixed.
 */
export function w3cTime(instant: Date): string {
  return `${officeClock(instant).toISOString().slice(0, 19)}+08:00`;
}

const w3cOrNull = (d: Date | null): string | null => (d ? w3cTime(d) : null);

/** `service_notice`: what the office will do, from the category's 整改时限. */
export function serviceNotice(rule: DeadlineRule): string {
  return `派遣责任单位后按「${describeRule(rule)}」时限整改，逾期督办`;
}

/** A task as GET requests reads it (open311.reader.ts). */
export interface Open311RequestRow {
  id: string;
  number: string;
  status: TaskStatus;
  service_code: string;
  service_name: string;
  deadline_rule: DeadlineRule;
  description: string;
  unit_name: string | null;
  created_at: Date;
  updated_at: Date;
  deadline: Date | null;
  site_name: string | null;
  site_code: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  photo_id: string | null;
}

/** Where the task is, in words: the site's name and the address, without saying one twice. */
export function addressOf(r: Pick<Open311RequestRow, 'site_name' | 'address'>): string | null {
  const parts = [r.site_name, r.address].filter((p): p is string => !!p && !!p.trim());
  const unique = parts.filter((p, i) => parts.indexOf(p) === i);
  return unique.length ? unique.join(' ') : null;
}

/** One `request` element of GET requests / GET request, fields in the spec's order. */
export function toOpen311Request(
  r: Open311RequestRow,
  now: Date,
  mediaUrl: (attachmentId: string) => string,
): { [key: string]: Open311Value } {
  return {
    service_request_id: r.number,
    status: open311Status(r.status),
    status_notes: statusNotes(r.status, r.deadline, now),
    service_name: r.service_name,
    service_code: r.service_code,
    description: r.description,
    agency_responsible: r.unit_name,
    service_notice: serviceNotice(r.deadline_rule),
    requested_datetime: w3cTime(r.created_at),
    updated_datetime: w3cTime(r.updated_at),
    expected_datetime: w3cOrNull(r.deadline),
    address: addressOf(r),
    address_id: r.site_code,
    zipcode: null,
    lat: r.lat,
    long: r.lng,
    media_url: r.photo_id ? mediaUrl(r.photo_id) : null,
  };
}

/** What each audit-trail action is called in an update's description (as the console names it). */
const ACTION_LABEL: Record<string, string> = {
  create: '立案',
  dispatch: '派遣',
  reassign: '改派',
  submit: '提交整改',
  check_pass: '复查通过',
  check_fail: '复查不通过',
  check: '复查',
  uphold_dispute: '同意退回',
  dispute_decision: '退回审批',
  hold: '挂账',
  resume: '恢复办理',
  cancel: '撤销',
  mark_duplicate: '标为重复',
  reopen: '重新打开',
};

/** A status change from the audit trail (task_events), as open311.reader.ts reads it. */
export interface Open311UpdateRow {
  id: string;
  number: string;
  action: string;
  to_status: TaskStatus;
  note: string | null;
  created_at: Date;
  photo_id: string | null;
}

/** `description` of an update: `复查通过，已销号：清理干净` (action, new status, the note). */
export function updateDescription(
  u: Pick<Open311UpdateRow, 'action' | 'to_status' | 'note'>,
): string {
  const label = ACTION_LABEL[u.action] ?? u.action;
  const note = u.note?.trim();
  return `${label}，${statusLabel(u.to_status)}${note ? `：${note}` : ''}`;
}

/** One `request_update` of mySociety's servicerequestupdates extension. */
export function toOpen311Update(
  u: Open311UpdateRow,
  mediaUrl: (attachmentId: string) => string,
): { [key: string]: Open311Value } {
  return {
    update_id: u.id,
    service_request_id: u.number,
    status: open311Status(u.to_status),
    updated_datetime: w3cTime(u.created_at),
    description: updateDescription(u),
    media_url: u.photo_id ? mediaUrl(u.photo_id) : null,
  };
}
