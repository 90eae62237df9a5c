import { describe, expect, it } from 'vitest';
import type { Schemas } from '@/api/client';
import { lastFullWeekStart, pickDashboardDigest } from '@/composables/dashboardDigest';

const at = (iso: string) => new Date(iso).getTime();
const digest = (from: string) => ({ from }) as unknown as Schemas['DigestDto'];

describe('工作台 digest: the last full week', () => {
  it('is the Monday of the week before this one, Beijing time', () => {
    // Tuesday 2026-12-01 10:00 Beijing: last full week 11-23 … 11-29.
    expect(lastFullWeekStart(at('2026-12-01T10:00:00+08:00'))).toBe('2026-11-23');
    // Sunday evening: the week running now is not full yet.
    expect(lastFullWeekStart(at('2026-12-06T23:59:00+08:00'))).toBe('2026-11-23');
    // Monday 00:00 Beijing: the week that ended at midnight is full.
    expect(lastFullWeekStart(at('2026-12-07T00:00:00+08:00'))).toBe('2026-11-30');
    // Sunday 16:00 UTC is already Monday in Beijing.
    expect(lastFullWeekStart(at('2026-12-06T16:00:00Z'))).toBe('2026-11-30');
    expect(lastFullWeekStart(at('2026-12-06T15:59:59Z'))).toBe('2026-11-23');
    // Across a year's end.
    expect(lastFullWeekStart(at('2027-01-01T09:00:00+08:00'))).toBe('2026-12-21');
  });

  it('reads the stored week and computes it only when none is stored', async () => {
    let liveCalls = 0;
    const live = () => {
      liveCalls++;
      return Promise.resolve({ data: digest('live') });
    };
    const stored = await pickDashboardDigest(
      () => Promise.resolve({ data: digest('stored'), response: { status: 200 } }),
      live,
    );
    expect(stored).toEqual({ digest: digest('stored'), source: 'stored' });
    expect(liveCalls).toBe(0);

    const missing = await pickDashboardDigest(
      () => Promise.resolve({ response: { status: 404 } }),
      live,
    );
    expect(missing).toEqual({ digest: digest('live'), source: 'live' });
    expect(liveCalls).toBe(1);

    // A unit is refused the league table: no second request, no digest.
    const refused = await pickDashboardDigest(
      () => Promise.resolve({ response: { status: 403 } }),
      live,
    );
    expect(refused).toBeNull();
    expect(liveCalls).toBe(1);
  });
});
