import { describe, expect, it } from 'vitest';
import { bboxOf, pinKind, showsHeat, worstKind } from '@/map/map-style';

describe('the map markers', () => {
  it('colour by light while with the unit, grey when closed, blue with the office', () => {
    expect(pinKind({ status: 'assigned', light: 'red' })).toBe('red');
    expect(pinKind({ status: 'assigned', light: 'green' })).toBe('green');
    expect(pinKind({ status: 'closed', light: null })).toBe('closed');
    expect(pinKind({ status: 'submitted', light: null })).toBe('office');
    expect(pinKind({ status: 'pending_dispatch', light: null })).toBe('office');
  });
  it('a cluster shows its most urgent marker', () => {
    expect(worstKind(['green', 'closed', 'yellow'])).toBe('yellow');
    expect(worstKind(['closed', 'red'])).toBe('red');
    expect(worstKind([])).toBe('closed');
  });
  it('the heat map in automatic mode only when zoomed out', () => {
    expect(showsHeat('auto', 10)).toBe(true);
    expect(showsHeat('auto', 14)).toBe(false);
    expect(showsHeat('markers', 5)).toBe(false);
    expect(showsHeat('heat', 17)).toBe(true);
  });
  it('the bbox: west,south,east,north, padded and kept within the world', () => {
    expect(bboxOf({ west: 116, south: 39, east: 117, north: 40 }, 0)).toBe('116,39,117,40');
    expect(bboxOf({ west: 116, south: 39, east: 117, north: 40 })).toBe(
      '115.75,38.75,117.25,40.25',
    );
    expect(bboxOf({ west: -200, south: -95, east: 200, north: 95 }, 0)).toBe('-180,-90,180,90');
  });
});
