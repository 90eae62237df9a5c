import { addDays, beijingDay, mondayOf } from '@/composables/weeks';

/** How the 综合评价 period was chosen: a week, a month, or any range of days. */
export type PeriodKind = 'week' | 'month' | 'custom';
export interface Period {
  from: string;
  to: string;
}

const dayNumber = (day: string) => new Date(`${day}T00:00:00Z`).getTime() / 86_400_000;

/** The Monday–Sunday week holding a Beijing day. */
export function weekOf(day: string): Period {
  const monday = mondayOf(new Date(`${day}T00:00:00+08:00`).getTime());
  return { from: monday, to: addDays(monday, 6) };
}

/** A calendar month given as YYYY-MM. */
export function monthOf(month: string): Period {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

export function thisWeek(now = Date.now()): Period {
  return weekOf(beijingDay(now));
}
export function lastWeek(now = Date.now()): Period {
  return weekOf(addDays(beijingDay(now), -7));
}
export function thisMonth(now = Date.now()): Period {
  return monthOf(beijingDay(now).slice(0, 7));
}

/** What a from–to range is, so the page shows the picker that chose it. */
export function kindOf(p: Period): PeriodKind {
  if (dayNumber(p.to) - dayNumber(p.from) === 6 && weekOf(p.from).from === p.from) return 'week';
  if (p.from.endsWith('-01') && monthOf(p.from.slice(0, 7)).to === p.to) return 'month';
  return 'custom';
}

/** The period as the office writes it: 2026年11月23日—29日 (第48周), 2026年11月, or a range. */
export function periodLabel(p: Period): string {
  const [fy, fm, fd] = p.from.split('-').map(Number);
  const [ty, tm, td] = p.to.split('-').map(Number);
  const kind = kindOf(p);
  if (kind === 'month') return `${fy}年${fm}月`;
  const start = `${fy}年${fm}月${fd}日`;
  const end = fy !== ty ? `${ty}年${tm}月${td}日` : fm !== tm ? `${tm}月${td}日` : `${td}日`;
  return p.from === p.to ? start : `${start}—${end}`;
}
