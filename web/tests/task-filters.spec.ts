import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import {
  daysOfInstants,
  filterModels,
  filtersFromQuery,
  instantsOfDays,
  queryFromFilters,
  type TaskFilters,
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

describe('the filter bar models (list and map)', () => {
  const setup = (initial: TaskFilters) => {
    const filters = ref<TaskFilters>(initial);
    const sent: Partial<TaskFilters>[] = [];
    return { m: filterModels(filters, (p) => sent.push(p)), sent };
  };

  it('shows each filter as its control holds it', () => {
    const { m } = setup({
      unitId: 'u1',
      status: ['assigned'],
      overdue: false,
      recurrence: true,
      source: ['hotline', 'leader'],
      createdFrom: '2026-11-30T00:00:00+08:00',
      createdTo: '2026-12-02T00:00:00+08:00',
    });
    expect(m.unitId.value).toBe('u1');
    expect(m.categoryId.value).toBe('');
    expect(m.status.value).toEqual(['assigned']);
    expect(m.overdue.value).toBe('false');
    expect(m.recurrence.value).toBe('true');
    expect(m.hasPendingRequest.value).toBe('');
    expect(m.source.value).toBe('hotline');
    expect(m.createdRange.value).toEqual(['2026-11-30', '2026-12-01']);
    expect(m.closedRange.value).toBeNull();
  });

  it('writes a change as a patch, and an emptied control removes its filter', () => {
    const { m, sent } = setup({ unitId: 'u1', overdue: true, status: ['assigned'] });
    m.overdue.value = 'false';
    m.overdue.value = '';
    m.hasPendingRequest.value = 'true';
    m.unitId.value = '';
    m.escalation.value = 'supervise';
    m.status.value = [];
    m.source.value = 'hotline';
    m.source.value = '';
    m.deadlineRange.value = ['2026-11-01', '2026-11-07'];
    m.closedRange.value = null;
    expect(sent).toEqual([
      { overdue: false },
      { overdue: undefined },
      { hasPendingRequest: true },
      { unitId: undefined },
      { escalation: 'supervise' },
      { status: undefined },
      { source: ['hotline'] },
      { source: undefined },
      { deadlineFrom: '2026-11-01T00:00:00+08:00', deadlineTo: '2026-11-08T00:00:00+08:00' },
      { closedFrom: undefined, closedTo: undefined },
    ]);
  });
});
