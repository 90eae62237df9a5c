const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_OFFSET = /(Z|[+-]\d{2}(:?\d{2})?)$/i;

/**
 * Reads an ISO 8601 value from a request as an instant. The office's clock is Beijing time, so a
 * value without an offset means Asia/Shanghai: a date alone is that day's 00:00 there, and a
 * date-time without `Z` or `±hh:mm` gets `+08:00` (the runtime would read it as UTC otherwise).
 */
export function parseInstant(value: string): Date {
  const v = value.trim();
  if (DATE_ONLY.test(v)) return new Date(`${v}T00:00:00+08:00`);
  return new Date(v.includes('T') && !HAS_OFFSET.test(v) ? `${v}+08:00` : v);
}
