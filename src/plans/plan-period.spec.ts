import { DomainError } from '../common/errors/domain-error.js';
import { periodEndOf } from './plans.service.js';

describe('periodEndOf: a week is Monday–Sunday, a month a calendar month', () => {
  it.each([
    ['week', '2026-11-23', '2026-11-29'],
    ['week', '2026-12-28', '2027-01-03'],
    ['month', '2026-11-01', '2026-11-30'],
    ['month', '2026-12-01', '2026-12-31'],
    ['month', '2028-02-01', '2028-02-29'],
    ['month', '2027-02-01', '2027-02-28'],
  ] as const)('%s from %s ends %s', (kind, start, end) => {
    expect(periodEndOf(kind, start)).toBe(end);
  });

  it.each([
    ['week', '2026-11-24', 'isMonday'],
    ['week', '2026-11-29', 'isMonday'],
    ['month', '2026-11-02', 'isFirstOfMonth'],
    ['month', '2026-11-30', 'isFirstOfMonth'],
  ] as const)('refuses %s from %s (%s), naming periodStart', (kind, start, code) => {
    let error: unknown;
    try {
      periodEndOf(kind, start);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).details?.errors).toEqual([
      expect.objectContaining({ field: 'periodStart', code }),
    ]);
  });
});
