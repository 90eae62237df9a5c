import {
  INFO_ITEM_STATUSES,
  transitionOf,
  type InfoItemAction,
  type InfoItemStatus,
} from './info-item-lifecycle.js';

type Who = 'unit' | 'admin' | 'inspector' | 'system';

/** Every allowed move; everything else must be refused. */
const ALLOWED: [InfoItemAction, InfoItemStatus, Who, InfoItemStatus][] = [
  ['edit', 'pending', 'unit', 'pending'],
  ['edit', 'returned', 'unit', 'returned'],
  ['edit', 'pending', 'admin', 'pending'],
  ['edit', 'adopted', 'admin', 'adopted'],
  ['withdraw', 'pending', 'unit', 'withdrawn'],
  ['withdraw', 'returned', 'unit', 'withdrawn'],
  ['resubmit', 'returned', 'unit', 'pending'],
  ['adopt', 'pending', 'admin', 'adopted'],
  ['return', 'pending', 'admin', 'returned'],
  ['return', 'adopted', 'admin', 'returned'],
  ['publish', 'adopted', 'system', 'published'],
];

const ACTIONS: InfoItemAction[] = ['edit', 'withdraw', 'resubmit', 'adopt', 'return', 'publish'];
const WHO: Who[] = ['unit', 'admin', 'inspector', 'system'];

describe('信息报送 transitions', () => {
  it.each(ALLOWED)('%s from %s by %s → %s', (action, from, who, to) => {
    expect(transitionOf(action, from, who)).toEqual({ ok: true, to });
  });

  it('refuses every other combination, saying whether the role or the state is wrong', () => {
    for (const action of ACTIONS) {
      for (const from of INFO_ITEM_STATUSES) {
        for (const who of WHO) {
          if (ALLOWED.some(([a, f, w]) => a === action && f === from && w === who)) continue;
          const result = transitionOf(action, from, who);
          expect(result.ok).toBe(false);
          const roleAllowed = ALLOWED.some(([a, , w]) => a === action && w === who);
          expect(result).toEqual({ ok: false, reason: roleAllowed ? 'state' : 'role' });
        }
      }
    }
  });

  it('a published or withdrawn item is frozen for everyone', () => {
    for (const action of ACTIONS) {
      for (const who of WHO) {
        expect(transitionOf(action, 'published', who).ok).toBe(false);
        expect(transitionOf(action, 'withdrawn', who).ok).toBe(false);
      }
    }
  });
});
