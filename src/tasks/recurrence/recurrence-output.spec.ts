import type { Principal } from '../../common/auth/principal.js';
import { linkRow, type RecurrenceLinkRow } from './recurrence-links.js';
import { toRecurrenceOf, toRecurrences } from './recurrence-output.js';

const office: Principal = {
  kind: 'user',
  id: 'u-office',
  role: 'admin',
  unitId: null,
  displayName: '创城办',
};
const inspector: Principal = { ...office, id: 'u-insp', role: 'inspector' };
const unitA: Principal = { ...office, id: 'u-a', role: 'unit', unitId: 'unit-a' };

function link(over: Partial<RecurrenceLinkRow> = {}): RecurrenceLinkRow {
  return {
    id: 'task-0',
    number: 'ZG-2026-000001',
    status: 'closed',
    unit_id: 'unit-a',
    lat: 30.0,
    lng: 120.0,
    closed_at: new Date('2026-03-01T02:00:00Z'),
    created_at: new Date('2026-02-20T02:00:00Z'),
    ...over,
  };
}

describe('toRecurrenceOf: the task a 反弹 repeats', () => {
  const here = { lat: 30.001, lng: 120.0 };

  it('is null without an earlier task', () => {
    expect(toRecurrenceOf(office, here, undefined)).toBeNull();
  });

  it.each<[string, Principal]>([
    ['the office', office],
    ['an inspector', inspector],
    ['the unit that had it', unitA],
  ])('shows %s the id and the closure, with the distance to 0.1 m', (_name, p) => {
    // 0.001° of latitude ≈ 111.2 m
    expect(toRecurrenceOf(p, here, link())).toEqual({
      id: 'task-0',
      number: 'ZG-2026-000001',
      closedAt: '2026-03-01T02:00:00.000Z',
      distanceM: 111.2,
    });
  });

  it('shows another unit only the number and the distance', () => {
    expect(toRecurrenceOf(unitA, here, link({ unit_id: 'unit-b' }))).toEqual({
      id: null,
      number: 'ZG-2026-000001',
      closedAt: null,
      distanceM: 111.2,
    });
  });

  it('has a null closure time for a task not closed', () => {
    expect(toRecurrenceOf(office, here, link({ closed_at: null }))?.closedAt).toBeNull();
  });

  it.each<[string, { lat: number | null; lng: number | null }, Partial<RecurrenceLinkRow>]>([
    ['this task has no latitude', { lat: null, lng: 120 }, {}],
    ['this task has no longitude', { lat: 30, lng: null }, {}],
    ['the earlier has no latitude', here, { lat: null }],
    ['the earlier has no longitude', here, { lng: null }],
  ])('has no distance when %s', (_name, task, over) => {
    expect(toRecurrenceOf(office, task, link(over))?.distanceM).toBeNull();
  });

  it('rounds the distance to a tenth of a metre', () => {
    const d = toRecurrenceOf(office, { lat: 30.00001, lng: 120 }, link())?.distanceM;
    expect(d).toBe(1.1);
  });
});

describe('toRecurrences: the tasks that repeat this one', () => {
  const later = [
    link({ id: 'r-1', number: 'ZG-2', status: 'assigned', unit_id: 'unit-a' }),
    link({
      id: 'r-2',
      number: 'ZG-3',
      status: 'submitted',
      unit_id: 'unit-b',
      created_at: new Date('2026-03-05T02:00:00Z'),
    }),
  ];

  it('shows the office every one', () => {
    expect(toRecurrences(office, later)).toEqual([
      { id: 'r-1', number: 'ZG-2', createdAt: '2026-02-20T02:00:00.000Z', status: 'assigned' },
      { id: 'r-2', number: 'ZG-3', createdAt: '2026-03-05T02:00:00.000Z', status: 'submitted' },
    ]);
  });

  it("hides another unit's id and status from a unit", () => {
    expect(toRecurrences(unitA, later)).toEqual([
      { id: 'r-1', number: 'ZG-2', createdAt: '2026-02-20T02:00:00.000Z', status: 'assigned' },
      { id: null, number: 'ZG-3', createdAt: '2026-03-05T02:00:00.000Z', status: null },
    ]);
  });
});

describe('linkRow: a link as the JSON column carries it', () => {
  const json = {
    id: 'task-0',
    number: 'ZG-1',
    status: 'closed' as const,
    unit_id: 'unit-a',
    lat: 30,
    lng: 120,
    closed_at: '2026-03-01T02:00:00+00:00',
    created_at: '2026-02-20T02:00:00+00:00',
  };
  it('turns the times into dates and keeps the rest', () => {
    expect(linkRow(json)).toEqual({
      ...json,
      closed_at: new Date('2026-03-01T02:00:00Z'),
      created_at: new Date('2026-02-20T02:00:00Z'),
    });
  });
  it('keeps a null closure null', () => {
    expect(linkRow({ ...json, closed_at: null }).closed_at).toBeNull();
  });
});
