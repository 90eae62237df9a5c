import { invalidField } from '../common/errors/domain-error.js';
import { parseInstantOrNull } from '../common/time/iso-time.js';

/**
 * How far a phone's clock may run ahead of ours: a found-at or observed-at time a few minutes in
 * the future is clock skew, more is a wrong clock or a typo.
 */
export const FIELD_TIME_MAX_SKEW_MS = 5 * 60_000;
/**
 * How old a found-at or observed-at time may be. An inspector's phone syncs within days, not
 * weeks; an older time is a wrong clock (a phone reset to 2000) rather than a late sync. Thirty
 * days also bound the duplicate hint's window, so a problem can never be entered "too old to be
 * seen" by it. A constant, not configuration: no office has asked to change it.
 */
export const FIELD_TIME_MAX_AGE_DAYS = 30;

/**
 * A time the client reports from the field (when a problem was found, when it was observed), or
 * `now` when it reports none. Within [now − 30 days, now + 5 minutes], else a 400 naming `field`
 * (`code: VALIDATION_FAILED`, the field problem's code `tooFarInFuture` or `tooOld`).
 */
export function fieldTime(value: string | undefined, now: Date, field: string): Date {
  if (value === undefined) return now;
  // Validated by @IsInstant() already; parse again rather than trust the DTO's string.
  const at = parseInstantOrNull(value);
  if (!at) throw invalidField(field, '时间格式不正确', 'isInstant');
  if (at.getTime() > now.getTime() + FIELD_TIME_MAX_SKEW_MS) {
    throw invalidField(field, '时间不能晚于当前时间', 'tooFarInFuture');
  }
  if (at.getTime() < now.getTime() - FIELD_TIME_MAX_AGE_DAYS * 86_400_000) {
    throw invalidField(field, `时间不能早于${FIELD_TIME_MAX_AGE_DAYS}天前`, 'tooOld');
  }
  return at;
}
