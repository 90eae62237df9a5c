import { officeClock } from '../../common/time/office-zone.js';
import { LEVEL_LABEL } from '../notification-text.js';
import type { EscalationLevel } from '../escalation-level.js';

/**
 * The short Chinese texts sent to 企业微信/钉钉 groups and by SMS: pure functions of the facts,
 * one line each, with the task number, the deadline and a link to the console.
 */

/** What a channel may subscribe to. */
export const CHANNEL_EVENTS = ['assigned', 'returned', 'deadline', 'escalation', 'digest'] as const;
export type ChannelEvent = (typeof CHANNEL_EVENTS)[number];

export const CHANNEL_EVENT_LABEL: Record<ChannelEvent, string> = {
  assigned: '新任务',
  returned: '退回整改',
  deadline: '时限调整',
  escalation: '提醒/督办/通报',
  digest: '每日到期汇总',
};

/** What a delivery carries: the text, and whether the unit's leader is copied (督办 on). */
export interface ChannelMessage {
  text: string;
  copyLeader: boolean;
}

const PREFIX = '【创城督导】';

/** `12月3日` in Asia/Shanghai. */
export function shortDay(d: Date): string {
  const b = officeClock(d);
  return `${b.getUTCMonth() + 1}月${b.getUTCDate()}日`;
}

/** `12月3日17:00`; the day alone when the deadline is the end or start of a day. */
export function shortDeadline(d: Date): string {
  const b = officeClock(d);
  const day = shortDay(d);
  const hh = b.getUTCHours();
  const mm = b.getUTCMinutes();
  if ((hh === 0 && mm === 0) || (hh === 23 && mm === 59)) return day;
  return `${day}${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}

export interface ChannelTask {
  id: string;
  number: string;
  categoryName: string;
  place: string;
  deadline: Date | null;
}

const what = (t: ChannelTask): string =>
  `${t.number} ${t.categoryName}${t.place ? `（${t.place}）` : ''}`;
const link = (base: string, t: ChannelTask): string => `查看：${base}/tasks/${t.id}`;
const until = (t: ChannelTask, verb: string): string =>
  t.deadline ? `请于${shortDeadline(t.deadline)}前${verb}。` : `请尽快${verb}。`;

/** A task event the channels carry: new work, returned work, a changed deadline. */
export function taskEventMessage(
  event: Exclude<ChannelEvent, 'escalation' | 'digest'>,
  t: ChannelTask,
  base: string,
): ChannelMessage {
  const text =
    event === 'assigned'
      ? `${PREFIX}新任务 ${what(t)}，${until(t, '完成整改')}${link(base, t)}`
      : event === 'returned'
        ? `${PREFIX}退回整改 ${what(t)}，复核未通过，${until(t, '重新整改')}${link(base, t)}`
        : `${PREFIX}时限调整 ${what(t)}，整改时限改为${t.deadline ? shortDeadline(t.deadline) : '待定'}。${link(base, t)}`;
  return { text, copyLeader: false };
}

/** How many task numbers a summary names before "等". */
export const LISTED = 5;

const numbers = (items: { number: string }[]): string =>
  items
    .slice(0, LISTED)
    .map((x) => x.number)
    .join('、') + (items.length > LISTED ? '等' : '');

const LEVEL_ASK: Record<EscalationLevel, string> = {
  reminder: '即将到期，请抓紧整改',
  supervise: '已超期，请立即整改',
  notify: '超期较久，将予通报，请立即整改',
};

/**
 * One unit's escalations of a scan, at the highest level reached: one task named in full, more
 * listed by number. From 督办 on the unit's leader is copied.
 */
export function escalationMessage(
  items: { task: ChannelTask; level: EscalationLevel }[],
  base: string,
): ChannelMessage {
  const top = items.reduce<EscalationLevel>(
    (m, x) => (RANK[x.level] > RANK[m] ? x.level : m),
    'reminder',
  );
  const label = LEVEL_LABEL[top];
  const text =
    items.length === 1
      ? `${PREFIX}${label} ${what(items[0].task)}${items[0].task.deadline ? `（时限${shortDeadline(items[0].task.deadline)}）` : ''}${LEVEL_ASK[top]}。${link(base, items[0].task)}`
      : `${PREFIX}${label} ${items.length}件任务${LEVEL_ASK[top]}：${numbers(items.map((x) => x.task))}。查看：${base}/tasks`;
  return { text, copyLeader: top !== 'reminder' };
}

const RANK: Record<EscalationLevel, number> = { reminder: 0, supervise: 1, notify: 2 };

/** The office's channels: a scan's 督办/通报 counts by unit. */
export function officeEscalationMessage(
  level: EscalationLevel,
  units: { unitName: string; n: number }[],
  base: string,
): ChannelMessage {
  const total = units.reduce((s, u) => s + u.n, 0);
  const list = units
    .slice(0, LISTED)
    .map((u) => `${u.unitName}${u.n}件`)
    .join('、');
  return {
    text: `${PREFIX}${LEVEL_LABEL[level]} 本次共${total}件：${list}${units.length > LISTED ? '等' : ''}。查看：${base}/tasks`,
    copyLeader: level !== 'reminder',
  };
}

/** The daily summary of one unit (or the office, without a name): 明日到期 N 件 / 已超期 M 件. */
export function digestMessage(
  d: {
    day: Date;
    unitName: string | null;
    dueTomorrow: { number: string }[];
    overdue: { number: string }[];
  },
  base: string,
): ChannelMessage {
  const parts = [`明日到期${d.dueTomorrow.length}件`, `已超期${d.overdue.length}件`];
  const named = [...d.overdue, ...d.dueTomorrow];
  return {
    text: `${PREFIX}${d.unitName ?? ''}每日提醒（${shortDay(d.day)}）：${parts.join('，')}${named.length ? `：${numbers(named)}` : ''}。查看：${base}/tasks`,
    copyLeader: false,
  };
}

/** The text of 测试发送. */
export const testMessage = (channelName: string, base: string): ChannelMessage => ({
  text: `${PREFIX}消息渠道测试：「${channelName}」已接通。控制台：${base}`,
  copyLeader: false,
});
