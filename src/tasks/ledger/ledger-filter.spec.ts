import { DomainError } from '../../common/errors/domain-error.js';
import type { TaskFilterQuery } from '../dto/list-tasks.query.js';
import { assertLedgerFilter } from './ledger-filter.js';

describe('assertLedgerFilter', () => {
  it.each<[string, TaskFilterQuery]>([
    ['no filter', {}],
    ['a day', { createdFrom: '2026-11-10' }],
    ['a Beijing time without offset', { closedTo: '2026-11-10T10:00' }],
    ['an instant with offset', { deadlineFrom: '2026-11-10T10:00:00+08:00' }],
    ['a search text', { q: '楼道堆物' }],
  ])('lets %s through', (_case, f) => {
    expect(() => assertLedgerFilter(f)).not.toThrow();
  });

  it.each<[string, TaskFilterQuery, string]>([
    ['an ISO week the database cannot read', { createdFrom: '2026-W46' }, 'createdFrom'],
    ['an hour-only offset', { closedTo: '2026-11-10T10:00:00+08' }, 'closedTo'],
    ['an ordinal date', { deadlineTo: '2026-314' }, 'deadlineTo'],
    ['a NUL in the search text', { q: 'a\u0000b' }, 'q'],
  ])('refuses %s, naming the field', (_case, f, field) => {
    let error: unknown;
    try {
      assertLedgerFilter(f);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).details?.errors).toEqual([expect.objectContaining({ field })]);
  });
});
