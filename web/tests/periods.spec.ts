import { describe, expect, it } from 'vitest';
import {
  kindOf,
  lastWeek,
  monthOf,
  periodLabel,
  thisMonth,
  thisWeek,
  weekOf,
} from '@/composables/periods';

// 2026-12-01 10:00 Beijing, a Tuesday.
const NOW = new Date('2026-12-01T10:00:00+08:00').getTime();

describe('综合评价 periods', () => {
  it('weeks run Monday to Sunday in Beijing', () => {
    expect(weekOf('2026-12-01')).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(weekOf('2026-11-30')).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(weekOf('2026-12-06')).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(thisWeek(NOW)).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(lastWeek(NOW)).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    // Late Sunday evening in UTC is already Monday in Beijing.
    expect(thisWeek(new Date('2026-11-29T17:00:00Z').getTime()).from).toBe('2026-11-30');
  });

  it('months end on their last day, February and leap years included', () => {
    expect(monthOf('2026-11')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(monthOf('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthOf('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthOf('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(thisMonth(NOW)).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('tells which picker chose a range', () => {
    expect(kindOf({ from: '2026-11-23', to: '2026-11-29' })).toBe('week');
    expect(kindOf({ from: '2026-11-24', to: '2026-11-30' })).toBe('custom');
    expect(kindOf({ from: '2026-11-01', to: '2026-11-30' })).toBe('month');
    expect(kindOf({ from: '2026-11-01', to: '2026-11-29' })).toBe('custom');
  });

  it('writes the period as the office does', () => {
    expect(periodLabel({ from: '2026-11-23', to: '2026-11-29' })).toBe('2026年11月23日—29日');
    expect(periodLabel({ from: '2026-11-30', to: '2026-12-06' })).toBe('2026年11月30日—12月6日');
    expect(periodLabel({ from: '2026-12-28', to: '2027-01-03' })).toBe(
      '2026年12月28日—2027年1月3日',
    );
    expect(periodLabel({ from: '2026-11-01', to: '2026-11-30' })).toBe('2026年11月');
    expect(periodLabel({ from: '2026-11-05', to: '2026-11-05' })).toBe('2026年11月5日');
  });
});
