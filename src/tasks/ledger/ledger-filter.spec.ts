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

describe("assertLedgerFilter: every time field is checked, with the office's words", () => {
  const refusal = (f: TaskFilterQuery): DomainError | undefined => {
    try {
      assertLedgerFilter(f);
    } catch (e) {
      return e as DomainError;
    }
    return undefined;
  };

  it.each([
    'createdFrom',
    'createdTo',
    'closedFrom',
    'closedTo',
    'deadlineFrom',
    'deadlineTo',
  ] as const)('%s: a value the database cannot read is refused as 不是有效的时间', (field) => {
    const error = refusal({ [field]: '2026-W46' });
    expect(error).toBeInstanceOf(DomainError);
    expect(error?.message).toBe(`${field}: ${field} 不是有效的时间`);
    expect(error?.details?.errors).toEqual([
      { field, code: 'isDateString', message: `${field} 不是有效的时间` },
    ]);
  });

  it('a NUL in the search text is refused as 含有不允许的字符', () => {
    expect(refusal({ q: '\u0000' })?.details?.errors).toEqual([
      { field: 'q', code: 'noNulCharacter', message: 'q 含有不允许的字符' },
    ]);
  });

  it('the first bad field is named, in the order of the fields', () => {
    expect(refusal({ deadlineTo: 'x', createdTo: 'y' })?.details?.errors).toEqual([
      expect.objectContaining({ field: 'createdTo' }),
    ]);
  });
});
