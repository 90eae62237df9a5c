import { describe, expect, it } from 'vitest';
import { byDistance, distanceM, distanceText } from '../m/src/geo';
import { fitWithin } from '../m/src/photo';
import { beijingDay, beijingTime } from '../m/src/time';

describe('distances', () => {
  it('measures metres on the ground (Tiananmen to the Forbidden City’s Meridian Gate ≈ 1 km)', () => {
    const d = distanceM({ lat: 39.9087, lng: 116.3975 }, { lat: 39.9177, lng: 116.3975 });
    expect(d).toBeGreaterThan(990);
    expect(d).toBeLessThan(1010);
  });
  it('sorts nearest first, places without a position last', () => {
    const here = { lat: 39.9, lng: 116.4 };
    const sorted = byDistance(
      [
        { n: 'far', p: { lat: 39.95, lng: 116.4 } },
        { n: 'none', p: null },
        { n: 'near', p: { lat: 39.901, lng: 116.4 } },
      ],
      here,
      (x) => x.p,
    );
    expect(sorted.map((x) => x.n)).toEqual(['near', 'far', 'none']);
  });
  it('writes distances as a street sign would', () => {
    expect(distanceText(35.4)).toBe('35 米');
    expect(distanceText(1234)).toBe('1.2 公里');
    expect(distanceText(null)).toBe('');
  });
});

describe('photo size and Beijing time', () => {
  it('fits the longest side within 1,600 px and never enlarges', () => {
    expect(fitWithin(4032, 3024)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin(3024, 4032)).toEqual({ width: 1200, height: 1600 });
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 });
  });
  it('tells the day and time in Asia/Shanghai whatever the phone’s zone', () => {
    expect(beijingDay(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12-01');
    expect(beijingTime('2026-11-30T16:30:00Z')).toBe('12月1日 00:30');
  });
});
