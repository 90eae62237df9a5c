/** Days and times as the office reads them: Asia/Shanghai, whatever the phone's own zone. */
const ZONE = 'Asia/Shanghai';

/** Today (or the day of an instant) in Beijing, as YYYY-MM-DD. */
export function beijingDay(at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** 12月1日 14:05 */
export function beijingTime(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone: ZONE,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(d);
  const v = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${v('month')}月${v('day')}日 ${v('hour')}:${v('minute')}`;
}
