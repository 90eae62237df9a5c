import { DomainError } from '../common/errors/domain-error.js';
import { MAX_WINDOW_MS, parseRequestsQuery, parseWindow } from './open311-query.js';

const NOW = new Date('2026-11-18T02:00:00Z');
const DAY = 86_400_000;

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError) return e.details?.errors?.[0]?.field;
    throw e;
  }
  return undefined;
}

describe('parseWindow', () => {
  it('defaults to the most recent 90 days', () => {
    expect(parseWindow({}, NOW)).toEqual({
      start: new Date(NOW.getTime() - MAX_WINDOW_MS),
      end: NOW,
    });
  });

  it('runs 90 days from a start alone, and up to an end alone', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    expect(parseWindow({ start_date: '2026-01-01T00:00:00Z' }, NOW)).toEqual({
      start,
      end: new Date(start.getTime() + 90 * DAY),
    });
    expect(parseWindow({ end_date: '2026-01-01T08:00:00+08:00' }, NOW)).toEqual({
      start: new Date(start.getTime() - 90 * DAY),
      end: start,
    });
  });

  it('takes exactly 90 days and refuses one millisecond more, or an end before the start', () => {
    expect(() =>
      parseWindow({ start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-01T00:00:00Z' }, NOW),
    ).not.toThrow();
    expect(
      fieldOf(() =>
        parseWindow(
          { start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-01T00:00:00.001Z' },
          NOW,
        ),
      ),
    ).toBe('end_date');
    expect(
      fieldOf(() =>
        parseWindow({ start_date: '2026-02-01T00:00:00Z', end_date: '2026-01-01T00:00:00Z' }, NOW),
      ),
    ).toBe('end_date');
  });

  it.each(['yesterday', '2026-13-01T00:00:00Z', '20260101', '2026-01-01 00:00'])(
    'refuses start_date %s, naming it',
    (value) => {
      expect(fieldOf(() => parseWindow({ start_date: value }, NOW))).toBe('start_date');
    },
  );

  it('refuses a repeated date parameter', () => {
    expect(fieldOf(() => parseWindow({ end_date: ['2026-01-01', '2026-01-02'] }, NOW))).toBe(
      'end_date',
    );
  });
});

describe('parseRequestsQuery', () => {
  it('reads comma lists and repeated parameters, without duplicates or blanks', () => {
    const f = parseRequestsQuery(
      { service_code: ['HJ07,GG01', 'HJ07', ' '], status: 'open, closed' },
      NOW,
    );
    expect(f.serviceCodes).toEqual(['HJ07', 'GG01']);
    expect(f.statuses).toEqual(['open', 'closed']);
  });

  it('lets service_request_id override every other argument (the spec)', () => {
    const f = parseRequestsQuery(
      { service_request_id: 'ZG-2026-000001,ZG-2026-000002', status: 'open', service_code: 'HJ07' },
      NOW,
    );
    expect(f).toEqual({
      ids: ['ZG-2026-000001', 'ZG-2026-000002'],
      window: expect.any(Object),
    });
  });

  it('treats an empty parameter as absent (the spec: "Optional")', () => {
    expect(parseRequestsQuery({ status: '', service_code: '' }, NOW)).toMatchObject({
      serviceCodes: undefined,
      statuses: undefined,
    });
  });

  it.each([
    [{ status: 'pending' }, 'status'],
    [{ status: 'open,Closed' }, 'status'],
    [{ service_code: 'a<b' }, 'service_code'],
    [{ service_request_id: 'x'.repeat(51) }, 'service_request_id'],
    [
      { service_request_id: Array.from({ length: 201 }, (_, i) => `ZG-${i}`).join(',') },
      'service_request_id',
    ],
    [{ start_date: 'soon' }, 'start_date'],
  ])('refuses %j naming %s', (query, field) => {
    expect(fieldOf(() => parseRequestsQuery(query, NOW))).toBe(field);
  });
});
