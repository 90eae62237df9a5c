/**
 * The office's time zone, named once. China has kept UTC+8 without daylight saving since 1991,
 * so a fixed offset is exact for every date the service holds and needs no time-zone database:
 * the office's days, weeks, years and clocks are the UTC ones of the instant shifted by 8 hours.
 */
export const OFFICE_TIME_ZONE = 'Asia/Shanghai';
export const OFFICE_UTC_OFFSET_MS = 8 * 3_600_000;
export const OFFICE_UTC_OFFSET_MINUTES = 8 * 60;

/**
 * The instant shifted to office wall-clock time: read it with the getUTC… methods
 * (`officeClock(d).getUTCHours()` is the hour in Beijing).
 */
export function officeClock(instant: Date): Date {
  return new Date(instant.getTime() + OFFICE_UTC_OFFSET_MS);
}

/** The inverse of `officeClock`: the instant at which Beijing's wall clock reads `clock`'s UTC fields. */
export function fromOfficeClock(clock: Date | number): Date {
  return new Date((typeof clock === 'number' ? clock : clock.getTime()) - OFFICE_UTC_OFFSET_MS);
}

/** The office's calendar day of an instant, YYYY-MM-DD. */
export function officeDay(instant: Date): string {
  return officeClock(instant).toISOString().slice(0, 10);
}

/** The office's wall-clock minute of an instant, `YYYY-MM-DD HH:mm`, as texts show times. */
export function officeMinute(instant: Date): string {
  return officeClock(instant).toISOString().slice(0, 16).replace('T', ' ');
}

/** The office's calendar year of an instant. */
export function officeYear(instant: Date): number {
  return officeClock(instant).getUTCFullYear();
}
