import { distanceMetres } from '../evidence/evidence-rules.js';
import {
  findRecurrence,
  inWindow,
  samePlace,
  type RecurrenceCandidate,
  type RecurrenceProbe,
} from './recurrence-rule.js';

const FOUND = new Date('2026-12-10T02:00:00Z'); // 10:00 Beijing
const HERE = { lat: 39.9, lng: 116.1 };
const DAY = 86_400_000;
/** About 111.2 m per 0.001° of latitude (the haversine of distanceMetres). */
const north = (metres: number) => ({ lat: HERE.lat + metres / 111_195, lng: HERE.lng });
const east = (metres: number) => ({
  lat: HERE.lat,
  lng: HERE.lng + metres / (111_195 * Math.cos((HERE.lat * Math.PI) / 180)),
});
const daysBefore = (days: number) => new Date(FOUND.getTime() - days * DAY);

const PROBE: RecurrenceProbe = { categoryId: 'cat', siteId: null, position: HERE, foundAt: FOUND };
const SETTINGS = { radiusM: 50, windowDays: 30 };

const closed = (over: Partial<RecurrenceCandidate> = {}): RecurrenceCandidate => ({
  id: 'old',
  categoryId: 'cat',
  status: 'closed',
  siteId: null,
  position: north(20),
  closedAt: daysBefore(5),
  ...over,
});

const match = (
  candidates: RecurrenceCandidate[],
  probe: Partial<RecurrenceProbe> = {},
  settings: Partial<typeof SETTINGS> = {},
) => findRecurrence({ ...PROBE, ...probe }, candidates, { ...SETTINGS, ...settings });

describe('findRecurrence: one candidate', () => {
  it.each<[string, Partial<RecurrenceCandidate>, Partial<RecurrenceProbe>, boolean]>([
    ['closed 20 m away 5 days ago', {}, {}, true],
    ['exactly at the radius (49.99 m north)', { position: north(49.99) }, {}, true],
    ['just outside the radius (50.5 m north)', { position: north(50.5) }, {}, false],
    ['inside the radius to the east (45 m)', { position: east(45) }, {}, true],
    ['outside the radius to the east (55 m)', { position: east(55) }, {}, false],
    ['closed 30 days ago to the millisecond', { closedAt: daysBefore(30) }, {}, true],
    [
      'closed 30 days and a minute ago',
      { closedAt: new Date(daysBefore(30).getTime() - 60_000) },
      {},
      false,
    ],
    ['closed at the very moment it was found', { closedAt: FOUND }, {}, true],
    [
      'closed after the problem was found (a late sync)',
      { closedAt: daysBefore(-0.01) },
      {},
      false,
    ],
    ['of another category', { categoryId: 'other' }, {}, false],
    ['cancelled, not closed', { status: 'cancelled', closedAt: null }, {}, false],
    [
      'open (assigned): a duplicate, not a recurrence',
      { status: 'assigned', closedAt: null },
      {},
      false,
    ],
    ['parked (on_hold)', { status: 'on_hold', closedAt: null }, {}, false],
    ['submitted, awaiting its check', { status: 'submitted', closedAt: null }, {}, false],
    [
      'no position on the old task, same site',
      { position: null, siteId: 's1' },
      { siteId: 's1' },
      true,
    ],
    [
      'no position on the new problem, same site',
      { siteId: 's1' },
      { siteId: 's1', position: null },
      true,
    ],
    ['no position, another site', { position: null, siteId: 's2' }, { siteId: 's1' }, false],
    ['no position and no site on either', { position: null }, { position: null }, false],
    [
      'same site but both positioned far apart: the distance decides',
      { siteId: 's1', position: north(300) },
      { siteId: 's1' },
      false,
    ],
  ])('%s → %s', (_name, candidate, probe, expected) => {
    expect(match([closed(candidate)], probe) !== null).toBe(expected);
  });

  it('a closed task without its closure time is no candidate (and does not throw)', () => {
    expect(match([closed({ closedAt: null })])).toBeNull();
    const ok = closed({ id: 'ok', position: north(30) });
    expect(match([closed({ id: 'x', closedAt: null, position: HERE }), ok])?.task.id).toBe('ok');
  });

  it('radius 0 turns recurrence off for the category', () => {
    expect(match([closed({ position: HERE })], {}, { radiusM: 0 })).toBeNull();
  });

  it('the window is configurable: 7 days leaves out a closure 8 days ago', () => {
    expect(match([closed({ closedAt: daysBefore(8) })], {}, { windowDays: 7 })).toBeNull();
    expect(match([closed({ closedAt: daysBefore(6) })], {}, { windowDays: 7 })).not.toBeNull();
  });

  it('gives the distance when both have positions, null for a site match', () => {
    const m = match([closed({ position: north(20) })]);
    expect(m?.distanceM).toBeCloseTo(distanceMetres(HERE, north(20)), 6);
    expect(m?.distanceM).toBeCloseTo(20, 0);
    const bySite = match([closed({ position: null, siteId: 's1' })], { siteId: 's1' });
    expect(bySite).toEqual({ task: expect.objectContaining({ id: 'old' }), distanceM: null });
  });
});

describe('findRecurrence: which closed task is chosen', () => {
  it('the nearest, whatever the order of the rows', () => {
    const far = closed({ id: 'far', position: north(40), closedAt: daysBefore(1) });
    const near = closed({ id: 'near', position: north(10), closedAt: daysBefore(20) });
    expect(match([far, near])?.task.id).toBe('near');
    expect(match([near, far])?.task.id).toBe('near');
  });

  it('at the same distance, the latest closed', () => {
    const older = closed({ id: 'older', position: north(10), closedAt: daysBefore(20) });
    const later = closed({ id: 'later', position: east(10), closedAt: daysBefore(2) });
    expect(match([older, later])?.task.id).toBe('later');
    expect(match([later, older])?.task.id).toBe('later');
  });

  it('a measured match before a same-site match without positions', () => {
    const bySite = closed({ id: 'site', siteId: 's1', position: null, closedAt: daysBefore(1) });
    const measured = closed({ id: 'measured', position: north(45), closedAt: daysBefore(25) });
    expect(match([bySite, measured], { siteId: 's1' })?.task.id).toBe('measured');
  });

  it('ties everywhere: the smallest id, so the choice never depends on row order', () => {
    const a = closed({ id: 'a', position: HERE, closedAt: daysBefore(3) });
    const b = closed({ id: 'b', position: HERE, closedAt: daysBefore(3) });
    expect(match([b, a])?.task.id).toBe('a');
    expect(match([a, b])?.task.id).toBe('a');
    const c = closed({ id: 'c', position: HERE, closedAt: daysBefore(3) });
    expect(match([c, b, a])?.task.id).toBe('a');
    expect(match([b, c, a])?.task.id).toBe('a');
  });

  it('distances are compared to the metre: within the same metre, the latest closed', () => {
    const nearerOlder = closed({ id: 'a', position: north(10.1), closedAt: daysBefore(20) });
    const laterFarther = closed({ id: 'b', position: north(10.3), closedAt: daysBefore(2) });
    expect(match([nearerOlder, laterFarther])?.task.id).toBe('b');
    expect(match([laterFarther, nearerOlder])?.task.id).toBe('b');
  });

  it('skips the ones that fail a test and takes the next', () => {
    const cancelled = closed({ id: 'x', status: 'cancelled', position: HERE });
    const other = closed({ id: 'y', categoryId: 'other', position: HERE });
    const stale = closed({ id: 'z', position: HERE, closedAt: daysBefore(31) });
    const ok = closed({ id: 'ok', position: north(30) });
    expect(match([cancelled, other, stale, ok])?.task.id).toBe('ok');
    expect(match([cancelled, other, stale])).toBeNull();
  });
});

describe('samePlace and inWindow', () => {
  it('samePlace is inclusive of the radius and needs a site or two positions', () => {
    expect(
      samePlace({ siteId: null, position: HERE }, { siteId: null, position: HERE }, 0),
    ).toEqual({
      distanceM: 0,
    });
    expect(
      samePlace({ siteId: null, position: null }, { siteId: null, position: HERE }, 50),
    ).toBeNull();
  });
  it('inWindow: from the found-at time back windowDays × 24 h, both ends included', () => {
    expect(inWindow(FOUND, FOUND, 30)).toBe(true);
    expect(inWindow(daysBefore(30), FOUND, 30)).toBe(true);
    expect(inWindow(new Date(daysBefore(30).getTime() - 1), FOUND, 30)).toBe(false);
    expect(inWindow(new Date(FOUND.getTime() + 1), FOUND, 30)).toBe(false);
  });
});
