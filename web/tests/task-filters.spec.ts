import { describe, expect, it } from 'vitest';
import {
  daysOfInstants,
  filtersFromQuery,
  instantsOfDays,
  queryFromFilters,
} from '@/composables/useTaskFilters';

describe('task filters ↔ URL', () => {
  it('reads every filter the API has and drops unknown values', () => {
    const f = filtersFromQuery({
      status: 'assigned,submitted,bogus',
      unitId: 'u1',
      overdue: 'true',
      hasPendingRequest: 'false',
      escalation: 'supervise',
      sort: 'deadline',
      q: '楼道',
      createdFrom: '2026-11-01T00:00:00+08:00',
      junk: 'x',
      limit: '9999',
    });
    expect(f).toEqual({
      status: ['assigned', 'submitted'],
      unitId: 'u1',
      overdue: true,
      hasPendingRequest: false,
      escalation: 'supervise',
      sort: 'deadline',
      q: '楼道',
      createdFrom: '2026-11-01T00:00:00+08:00',
    });
  });

  it('ignores malformed booleans, escalations and sorts', () => {
    expect(filtersFromQuery({ overdue: 'yes', escalation: 'loud', sort: 'random' })).toEqual({});
  });

  it('accepts repeated status parameters too', () => {
    expect(filtersFromQuery({ status: ['assigned', 'closed'] }).status).toEqual([
      'assigned',
      'closed',
    ]);
  });

  it('round-trips: query → filters → query', () => {
    const query = {
      status: 'pending_dispatch',
      categoryId: 'c1',
      overdue: 'false',
      deadlineFrom: '2026-11-01T00:00:00+08:00',
      deadlineTo: '2026-11-08T00:00:00+08:00',
      sort: 'number',
    };
    expect(queryFromFilters(filtersFromQuery(query))).toEqual(query);
  });

  it('leaves defaults and empty values out of the URL', () => {
    expect(queryFromFilters({ sort: '-createdAt', q: '', status: [] })).toEqual({});
  });

  it('turns picked Beijing days into half-open instants and back', () => {
    const [from, to] = instantsOfDays(['2026-11-30', '2026-12-01']);
    expect(from).toBe('2026-11-30T00:00:00+08:00');
    expect(to).toBe('2026-12-02T00:00:00+08:00');
    expect(daysOfInstants(from, to)).toEqual(['2026-11-30', '2026-12-01']);
    expect(instantsOfDays(null)).toEqual([undefined, undefined]);
  });
});

describe('来源 and import batch in the URL', () => {
  it('reads comma-joined sources and a batch id, and writes them back', () => {
    const f = filtersFromQuery({ source: 'hotline,leader', importBatchId: 'b1' });
    expect(f.source).toEqual(['hotline', 'leader']);
    expect(f.importBatchId).toBe('b1');
    expect(queryFromFilters(f)).toMatchObject({ source: 'hotline,leader', importBatchId: 'b1' });
  });
});
