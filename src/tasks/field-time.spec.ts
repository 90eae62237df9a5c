import { DomainError } from '../common/errors/domain-error.js';
import { FIELD_TIME_MAX_AGE_DAYS, FIELD_TIME_MAX_SKEW_MS, fieldTime } from './field-time.js';

const NOW = new Date('2026-03-10T08:00:00.000Z');
const at = (ms: number): string => new Date(NOW.getTime() + ms).toISOString();
const DAY = 86_400_000;

function refusal(fn: () => unknown): { code: string; message: string; field: string } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    const err = e as DomainError;
    expect(err.code).toBe('VALIDATION_FAILED');
    const [problem] = err.details?.errors ?? [];
    return { code: problem.code, message: problem.message, field: problem.field };
  }
  throw new Error('expected a refusal');
}

describe('fieldTime: a time reported from the field', () => {
  it('is now when none is given', () => {
    expect(fieldTime(undefined, NOW, 'foundAt')).toBe(NOW);
  });

  it.each<[string, number]>([
    ['now itself', 0],
    ['exactly the allowed skew ahead', FIELD_TIME_MAX_SKEW_MS],
    ['an hour ago', -3_600_000],
    [`exactly ${FIELD_TIME_MAX_AGE_DAYS} days ago`, -FIELD_TIME_MAX_AGE_DAYS * DAY],
  ])('accepts %s, as the instant given', (_name, offset) => {
    expect(fieldTime(at(offset), NOW, 'foundAt').getTime()).toBe(NOW.getTime() + offset);
  });

  it('keeps the five minutes of skew and the thirty days as they are documented', () => {
    expect(FIELD_TIME_MAX_SKEW_MS).toBe(300_000);
    expect(FIELD_TIME_MAX_AGE_DAYS).toBe(30);
  });

  it.each<[string, number, string, string]>([
    [
      'a millisecond past the skew',
      FIELD_TIME_MAX_SKEW_MS + 1,
      'tooFarInFuture',
      '时间不能晚于当前时间',
    ],
    ['tomorrow', DAY, 'tooFarInFuture', '时间不能晚于当前时间'],
    [
      'a millisecond older than thirty days',
      -FIELD_TIME_MAX_AGE_DAYS * DAY - 1,
      'tooOld',
      '时间不能早于30天前',
    ],
  ])('refuses %s, naming the field', (_name, offset, code, message) => {
    expect(refusal(() => fieldTime(at(offset), NOW, 'observedAt'))).toEqual({
      field: 'observedAt',
      code,
      message,
    });
  });

  it('refuses a text that is not an instant', () => {
    expect(refusal(() => fieldTime('not a time', NOW, 'foundAt'))).toEqual({
      field: 'foundAt',
      code: 'isInstant',
      message: '时间格式不正确',
    });
  });
});
