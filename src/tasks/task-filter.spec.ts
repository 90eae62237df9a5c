import type { Principal } from '../common/auth/principal.js';
import { SqlWhere } from '../database/sql-where.js';
import type { EscalationThresholds } from './deadline/traffic-light.js';
import type { TaskFilterQuery } from './dto/list-tasks.query.js';
import { applyAcknowledgementFilter, applyTaskFilters, scopeToPrincipal } from './task-filter.js';

/**
 * The list filters as SQL: each case pins the clause a filter adds and the values it binds, so a
 * filter that stopped filtering, bound the wrong instant or inverted its condition fails here
 * (the e2e list tests run the same clauses against the database).
 */
const NOW = new Date('2026-03-10T08:00:00.000Z');
const T: EscalationThresholds = {
  reminderAtFraction: 0.8,
  superviseAfterHours: 2,
  notifyAfterHours: 24,
};
const UUID = '0b6f8c1e-2f0a-4c1b-9a53-0d7f3e6b1a22';

const filters = (f: TaskFilterQuery): SqlWhere => applyTaskFilters(new SqlWhere(), f, NOW, T);

describe('scopeToPrincipal', () => {
  const base: Principal = { kind: 'user', id: 'u', role: 'admin', unitId: null, displayName: 'x' };
  it('limits a unit to its own tasks', () => {
    const w = scopeToPrincipal(new SqlWhere(), { ...base, role: 'unit', unitId: 'unit-a' });
    expect(w.clauses).toEqual(['t.unit_id = $1']);
    expect(w.params).toEqual(['unit-a']);
  });
  it.each(['admin', 'inspector'] as const)('lets the %s see every task', (role) => {
    const w = new SqlWhere();
    expect(scopeToPrincipal(w, { ...base, role })).toBe(w);
    expect(w.clauses).toEqual([]);
  });
});

describe('applyTaskFilters', () => {
  it('adds nothing for no filter', () => {
    const w = filters({});
    expect(w.clauses).toEqual([]);
    expect(w.params).toEqual([]);
  });

  it.each<[string, TaskFilterQuery, string[], unknown[]]>([
    [
      'statuses',
      { status: ['assigned', 'submitted'] },
      ['t.status = ANY($1)'],
      [['assigned', 'submitted']],
    ],
    ['a unit by id', { unitId: UUID }, ['t.unit_id = $1'], [UUID]],
    [
      'a unit by code',
      { unitId: 'HJ07' },
      ['t.unit_id = (SELECT x.id FROM units x WHERE x.code = $1)'],
      ['HJ07'],
    ],
    [
      'a category by code',
      { categoryId: 'DXF' },
      ['t.category_id = (SELECT x.id FROM categories x WHERE x.code = $1)'],
      ['DXF'],
    ],
    [
      'a site by code',
      { siteId: 'S1' },
      ['t.site_id = (SELECT x.id FROM sites x WHERE x.code = $1)'],
      ['S1'],
    ],
    ['an inspection', { inspectionId: UUID }, ['t.inspection_id = $1'], [UUID]],
    ['sources', { source: ['import'] } as TaskFilterQuery, ['t.source = ANY($1)'], [['import']]],
    ['an import batch', { importBatchId: UUID }, ['t.import_batch_id = $1'], [UUID]],
    ['overdue', { overdue: true }, [`t.status = 'assigned' AND t.deadline < $1`], [NOW]],
    ['not overdue', { overdue: false }, [`NOT (t.status = 'assigned' AND t.deadline < $1)`], [NOW]],
    ['反弹', { recurrence: true }, ['t.recurrence_of_id IS NOT NULL'], []],
    ['not 反弹', { recurrence: false }, ['t.recurrence_of_id IS NULL'], []],
    [
      'reminder',
      { escalation: 'reminder' },
      [`t.status = 'assigned' AND t.assigned_at + (t.deadline - t.assigned_at) * $1 <= $2`],
      [0.8, NOW],
    ],
    [
      '督办: overdue by more than superviseAfterHours',
      { escalation: 'supervise' },
      [`t.status = 'assigned' AND t.deadline < $1`],
      [new Date('2026-03-10T06:00:00.000Z')],
    ],
    [
      '通报: overdue by more than notifyAfterHours',
      { escalation: 'notify' },
      [`t.status = 'assigned' AND t.deadline < $1`],
      [new Date('2026-03-09T08:00:00.000Z')],
    ],
    [
      'created from a Beijing day',
      { createdFrom: '2026-03-01' },
      ['t.created_at >= $1'],
      [new Date('2026-02-28T16:00:00.000Z')],
    ],
    [
      'created before a day',
      { createdTo: '2026-03-02' },
      ['t.created_at < $1'],
      [new Date('2026-03-01T16:00:00.000Z')],
    ],
    [
      'closed from',
      { closedFrom: '2026-03-01' },
      ['t.closed_at >= $1'],
      [new Date('2026-02-28T16:00:00.000Z')],
    ],
    [
      'closed before',
      { closedTo: '2026-03-01T10:00' },
      ['t.closed_at < $1'],
      [new Date('2026-03-01T02:00:00.000Z')],
    ],
    [
      'deadline from',
      { deadlineFrom: '2026-03-01' },
      ['t.deadline >= $1'],
      [new Date('2026-02-28T16:00:00.000Z')],
    ],
    [
      'deadline before',
      { deadlineTo: '2026-03-01' },
      ['t.deadline < $1'],
      [new Date('2026-02-28T16:00:00.000Z')],
    ],
    [
      'a search text, trimmed, with LIKE wildcards escaped',
      { q: '  50%_楼道 ' },
      [`(t.number || ' ' || t.description || ' ' || coalesce(t.address, '')) ILIKE $1`],
      ['%50\\%\\_楼道%'],
    ],
  ])('filters by %s', (_name, f, clauses, params) => {
    const w = filters(f);
    expect(w.clauses).toEqual(clauses);
    expect(w.params).toEqual(params);
  });

  it('adds nothing for empty status and source lists', () => {
    expect(filters({ status: [], source: [] } as TaskFilterQuery).clauses).toEqual([]);
  });

  it('numbers the parameters of several filters in order', () => {
    const w = filters({ unitId: UUID, overdue: true, q: 'x' });
    expect(w.clauses.map((c) => c.match(/\$\d+/g))).toEqual([['$1'], ['$2'], ['$3']]);
    expect(w.params).toEqual([UUID, NOW, '%x%']);
  });

  describe('pending requests (延期 or 申辩)', () => {
    it('with: either kind pending', () => {
      const [clause] = filters({ hasPendingRequest: true }).clauses;
      expect(clause).toMatch(/^\(EXISTS \(SELECT 1 FROM extension_requests r/);
      expect(clause).toContain(`r.status = 'pending'`);
      expect(clause).toContain('OR EXISTS (SELECT 1 FROM task_disputes d');
      expect(clause).toContain(`d.status = 'pending'`);
    });
    it('without: the same condition negated', () => {
      const [yes] = filters({ hasPendingRequest: true }).clauses;
      expect(filters({ hasPendingRequest: false }).clauses).toEqual([`NOT ${yes}`]);
    });
  });

  describe('返工', () => {
    it('with: assigned, reworked, and the latest round failed its 复查', () => {
      const [clause] = filters({ rework: true }).clauses;
      expect(clause).toMatch(/^\(t\.status = 'assigned' AND t\.rework_count > 0 AND EXISTS/);
      expect(clause).toContain(`c.result = 'fail'`);
      expect(clause).toContain('s.round = (SELECT max(s2.round)');
    });
    it('without: the same condition negated', () => {
      const [yes] = filters({ rework: true }).clauses;
      expect(filters({ rework: false }).clauses).toEqual([`NOT ${yes}`]);
    });
  });
});

describe('applyAcknowledgementFilter', () => {
  it('adds nothing when not asked', () => {
    expect(applyAcknowledgementFilter(new SqlWhere(), undefined, true).clauses).toEqual([]);
  });
  it.each([true, false])('matches nothing when 签收 is not required (acknowledged %s)', (ack) => {
    expect(applyAcknowledgementFilter(new SqlWhere(), ack, false).clauses).toEqual(['FALSE']);
  });
  it('signed: assigned with a signature', () => {
    expect(applyAcknowledgementFilter(new SqlWhere(), true, true).clauses).toEqual([
      `t.status = 'assigned' AND t.acknowledged_at IS NOT NULL`,
    ]);
  });
  it('待签收: assigned without one', () => {
    expect(applyAcknowledgementFilter(new SqlWhere(), false, true).clauses).toEqual([
      `t.status = 'assigned' AND t.acknowledged_at IS NULL`,
    ]);
  });
});
