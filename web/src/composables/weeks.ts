/** Weeks as the office counts them: Monday to Sunday in Asia/Shanghai. */
const DAY = 86_400_000;
const OFFSET = 8 * 3_600_000;

/** `YYYY-MM-DD` of the Beijing day of an instant. */
export function beijingDay(at: number): string {
  return new Date(at + OFFSET).toISOString().slice(0, 10);
}

/** The Monday (Beijing) of the week containing `at`, `weeksBack` weeks earlier. */
export function mondayOf(at: number, weeksBack = 0): string {
  const d = new Date(`${beijingDay(at)}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(d.getTime() - dow * DAY - weeksBack * 7 * DAY).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return new Date(new Date(`${day}T00:00:00Z`).getTime() + n * DAY).toISOString().slice(0, 10);
}

/** A week as the API's half-open instants. */
export function weekInstants(monday: string): { from: string; to: string } {
  return { from: `${monday}T00:00:00+08:00`, to: `${addDays(monday, 7)}T00:00:00+08:00` };
}
