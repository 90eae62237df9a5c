import {
  cardCounts,
  computeRates,
  recurrenceDeductionPoints,
  rankByIndex,
  type RankCandidate,
  type RankOutcome,
} from './digest-figures.js';
import { EMPTY_COUNTS, type DigestCounts, type DigestRates } from './digest-model.js';

function counts(overrides: Partial<DigestCounts>): DigestCounts {
  return { ...EMPTY_COUNTS, ...overrides };
}

describe('computeRates', () => {
  it.each<[string, Partial<DigestCounts>, DigestRates]>([
    [
      'everything due closed on time, no rework: 100',
      { due: 10, dueClosed: 10, dueClosedOnTime: 10, checks: 10, inHand: 10 },
      {
        volume: 10,
        onTimeClosureRate: 1,
        closureRate: 1,
        reworkRate: 0,
        extensionRate: 0,
        unverifiedShare: null,
        compositeIndex: 100,
        recurrenceDeduction: 0,
      },
    ],
    [
      'a worked example: 按期 6/8, 结案 7/8, 返工 1/4, 延期 2/10',
      {
        due: 10,
        dueOnHold: 2,
        dueClosed: 7,
        dueClosedOnTime: 6,
        checks: 4,
        failedChecks: 1,
        extensionsGranted: 2,
        inHand: 10,
      },
      // 0.75×60 + 0.875×30 + 0.75×10 = 45 + 26.25 + 7.5
      {
        volume: 8,
        onTimeClosureRate: 0.75,
        closureRate: 0.875,
        reworkRate: 0.25,
        extensionRate: 0.2,
        unverifiedShare: null,
        compositeIndex: 78.75,
        recurrenceDeduction: 0,
      },
    ],
    [
      'thirds are rounded to 4 decimals, the index from the unrounded rates',
      { due: 3, dueClosed: 2, dueClosedOnTime: 1, checks: 3, failedChecks: 1, inHand: 3 },
      // (1/3)×60 + (2/3)×30 + (2/3)×10 = 20 + 20 + 6.667
      {
        volume: 3,
        onTimeClosureRate: 0.3333,
        closureRate: 0.6667,
        reworkRate: 0.3333,
        extensionRate: 0,
        unverifiedShare: null,
        compositeIndex: 46.67,
        recurrenceDeduction: 0,
      },
    ],
    [
      'nothing due: both closure rates and the index are null, not 0',
      { received: 4, closed: 2, closedOnTime: 2, inHand: 4, checks: 2 },
      {
        volume: 0,
        onTimeClosureRate: null,
        closureRate: null,
        reworkRate: 0,
        extensionRate: 0,
        unverifiedShare: 0,
        compositeIndex: null,
        recurrenceDeduction: 0,
      },
    ],
    [
      'everything due is on hold: the denominator is 0, so null',
      { due: 3, dueOnHold: 3, inHand: 3 },
      {
        volume: 0,
        onTimeClosureRate: null,
        closureRate: null,
        reworkRate: null,
        extensionRate: 0,
        unverifiedShare: null,
        compositeIndex: null,
        recurrenceDeduction: 0,
      },
    ],
    [
      'no checks: 返工率 is null and the index is the closure terms scaled to 100',
      { due: 4, dueClosed: 2, dueClosedOnTime: 1, inHand: 4 },
      // (0.25×60 + 0.5×30) ÷ 90 × 100 = 30 ÷ 0.9
      {
        volume: 4,
        onTimeClosureRate: 0.25,
        closureRate: 0.5,
        reworkRate: null,
        extensionRate: 0,
        unverifiedShare: null,
        compositeIndex: 33.33,
        recurrenceDeduction: 0,
      },
    ],
    [
      'due but nothing done and never checked: 0, not 10 from the rework term',
      { due: 5, inHand: 5 },
      {
        volume: 5,
        onTimeClosureRate: 0,
        closureRate: 0,
        reworkRate: null,
        extensionRate: 0,
        unverifiedShare: null,
        compositeIndex: 0,
        recurrenceDeduction: 0,
      },
    ],
    [
      'a category with nothing due and no checks: every score null, not 10',
      { received: 2, inHand: 2, openOverdue: 1 },
      {
        volume: 0,
        onTimeClosureRate: null,
        closureRate: null,
        reworkRate: null,
        extensionRate: 0,
        unverifiedShare: null,
        compositeIndex: null,
        recurrenceDeduction: 0,
      },
    ],
    [
      'nothing due but checks done: the index is still null (no closure rate to weigh)',
      { checks: 3, inHand: 3 },
      {
        volume: 0,
        onTimeClosureRate: null,
        closureRate: null,
        reworkRate: 0,
        extensionRate: 0,
        unverifiedShare: null,
        compositeIndex: null,
        recurrenceDeduction: 0,
      },
    ],
    [
      'nothing in hand: 延期率 is null',
      {},
      {
        volume: 0,
        onTimeClosureRate: null,
        closureRate: null,
        reworkRate: null,
        extensionRate: null,
        unverifiedShare: null,
        compositeIndex: null,
        recurrenceDeduction: 0,
      },
    ],
    [
      'due but nothing closed, all checks failed: 0',
      { due: 5, checks: 2, failedChecks: 2, inHand: 5, extensionsGranted: 5 },
      {
        volume: 5,
        onTimeClosureRate: 0,
        closureRate: 0,
        reworkRate: 1,
        extensionRate: 1,
        unverifiedShare: null,
        compositeIndex: 0,
        recurrenceDeduction: 0,
      },
    ],
    [
      "a quarter of the closures on the unit's word: shown, and the index does not move",
      {
        closed: 4,
        closedOnTime: 4,
        closedUnverified: 1,
        due: 4,
        dueClosed: 4,
        dueClosedOnTime: 4,
        inHand: 4,
      },
      {
        volume: 4,
        onTimeClosureRate: 1,
        closureRate: 1,
        reworkRate: null,
        extensionRate: 0,
        unverifiedShare: 0.25,
        compositeIndex: 100,
        recurrenceDeduction: 0,
      },
    ],
    [
      'every closure unverified (a self_close category): 1',
      { closed: 3, closedOnTime: 1, closedUnverified: 3, inHand: 3 },
      {
        volume: 0,
        onTimeClosureRate: null,
        closureRate: null,
        reworkRate: null,
        extensionRate: 0,
        unverifiedShare: 1,
        compositeIndex: null,
        recurrenceDeduction: 0,
      },
    ],
    [
      'one unverified closure in three is rounded to 4 decimals',
      { closed: 3, closedUnverified: 1, checks: 2, inHand: 3 },
      {
        volume: 0,
        onTimeClosureRate: null,
        closureRate: null,
        reworkRate: 0,
        extensionRate: 0,
        unverifiedShare: 0.3333,
        compositeIndex: null,
        recurrenceDeduction: 0,
      },
    ],
    [
      'nothing closed: the unverified share is null, not 0',
      { due: 2, checks: 1, failedChecks: 1, inHand: 2 },
      {
        volume: 2,
        onTimeClosureRate: 0,
        closureRate: 0,
        reworkRate: 1,
        extensionRate: 0,
        unverifiedShare: null,
        compositeIndex: 0,
        recurrenceDeduction: 0,
      },
    ],
  ])('%s', (_name, given, expected) => {
    expect(computeRates(counts(given))).toEqual(expected);
  });

  describe('the 反弹 deduction (config/digest.json recurrenceDeduction)', () => {
    // 按期 6/8, 结案 7/8, 返工 1/4: 78.75 before any deduction.
    const worked: Partial<DigestCounts> = {
      due: 10,
      dueOnHold: 2,
      dueClosed: 7,
      dueClosedOnTime: 6,
      checks: 4,
      failedChecks: 1,
      inHand: 10,
    };
    const on = { enabled: true, pointsPerRecurrence: 2, max: 5 };
    it.each<[string, Partial<DigestCounts>, typeof on | undefined, number | null, number]>([
      ['off (no rule: categories and totals)', { recurrences: 3 }, undefined, 78.75, 0],
      ['off in the config', { recurrences: 3 }, { ...on, enabled: false }, 78.75, 0],
      ['on, nothing came back', { recurrences: 0 }, on, 78.75, 0],
      ['on, one 反弹: 2 points', { recurrences: 1 }, on, 76.75, 2],
      ['on, two 反弹: 4 points', { recurrences: 2 }, on, 74.75, 4],
      ['on, three 反弹: 6 capped at max 5', { recurrences: 3 }, on, 73.75, 5],
    ])('%s', (_name, extra, rule, index, deducted) => {
      const rates = computeRates(counts({ ...worked, ...extra }), rule);
      expect(rates.compositeIndex).toBe(index);
      expect(rates.recurrenceDeduction).toBe(deducted);
      // The other rates are untouched by the deduction.
      expect(rates.onTimeClosureRate).toBe(0.75);
      expect(rates.closureRate).toBe(0.875);
    });

    it('never takes the index below 0, and takes nothing from a null index', () => {
      const zero = computeRates(
        counts({ due: 2, checks: 1, failedChecks: 1, inHand: 2, recurrences: 4 }),
        on,
      );
      expect(zero).toMatchObject({ compositeIndex: 0, recurrenceDeduction: 0 });
      const low = { due: 10, dueClosed: 1, dueClosedOnTime: 0, recurrences: 9 };
      // (0×60 + 0.1×30) ÷ 90 × 100 = 3.33: the deduction stops at 3.33, not 5.
      expect(computeRates(counts(low), on)).toMatchObject({
        compositeIndex: 0,
        recurrenceDeduction: 3.33,
      });
      const none = computeRates(counts({ recurrences: 3, inHand: 1 }), on);
      expect(none).toMatchObject({ compositeIndex: null, recurrenceDeduction: 0 });
      expect(recurrenceDeductionPoints(null, 3, on)).toBe(0);
    });

    it('counts that are not whole are refused like the others', () => {
      expect(() => computeRates(counts({ recurrences: -1 }))).toThrow(
        'recurrences must be a non-negative integer, got -1',
      );
    });
  });

  // Each case breaks one rule only, and the message names it: a check that stopped refusing
  // would otherwise hide behind another that happens to refuse the same counts.
  it.each<[string, Partial<DigestCounts>, string]>([
    ['a negative count', { received: -1 }, 'received must be a non-negative integer, got -1'],
    ['a fractional count', { closed: 1.5 }, 'closed must be a non-negative integer, got 1.5'],
    [
      'a count that is not a number',
      { inHand: NaN },
      'inHand must be a non-negative integer, got NaN',
    ],
    [
      'more closed on time than closed',
      { closed: 1, closedOnTime: 2 },
      'closedOnTime (2) cannot exceed closed (1)',
    ],
    [
      'more unverified closures than closures',
      { closed: 1, closedUnverified: 2 },
      'closedUnverified (2) cannot exceed closed (1)',
    ],
    [
      'more flagged closures than closures',
      { closed: 1, closedFlagged: 2 },
      'closedFlagged (2) cannot exceed closed (1)',
    ],
    [
      'more 督办 than overdue',
      { openOverdue: 1, supervised: 2 },
      'supervised (2) cannot exceed openOverdue (1)',
    ],
    [
      'more 通报 than 督办',
      { openOverdue: 3, supervised: 1, notified: 2 },
      'notified (2) cannot exceed supervised (1)',
    ],
    ['more on hold than due', { due: 1, dueOnHold: 2 }, 'dueOnHold (2) cannot exceed due (1)'],
    ['more closed than due', { due: 1, dueClosed: 2 }, 'dueClosed (2) cannot exceed due (1)'],
    [
      'more due closed on time than due closed',
      { due: 3, dueClosed: 1, dueClosedOnTime: 2 },
      'dueClosedOnTime (2) cannot exceed dueClosed (1)',
    ],
    [
      'more failed checks than checks',
      { checks: 1, failedChecks: 2 },
      'failedChecks (2) cannot exceed checks (1)',
    ],
    [
      'closed and on hold beyond due',
      { due: 3, dueOnHold: 2, dueClosed: 2 },
      'dueClosed + dueOnHold (4) exceeds due (3)',
    ],
  ])('refuses %s', (_name, given, message) => {
    expect(() => computeRates(counts(given))).toThrow(new RangeError(message));
  });

  it('accepts each part equal to its whole', () => {
    expect(() =>
      computeRates(
        counts({
          closed: 2,
          closedOnTime: 2,
          closedUnverified: 2,
          openOverdue: 2,
          supervised: 2,
          notified: 2,
          due: 4,
          dueOnHold: 2,
          dueClosed: 2,
          dueClosedOnTime: 2,
          checks: 2,
          failedChecks: 2,
        }),
      ),
    ).not.toThrow();
  });
});

const thirds = {
  minVolume: 5,
  greenShare: 0.3333,
  redShare: 0.3333,
  minRankedForCards: 2,
  minRankedForRed: 3,
};

function candidate(key: string, volume: number, compositeIndex: number | null): RankCandidate {
  return { key, volume, compositeIndex };
}

function outcome(rank: number | null, card: RankOutcome['card']): RankOutcome {
  return { rank, card, unrankedReason: null };
}

describe('rankByIndex', () => {
  it.each<[string, RankCandidate[], typeof thirds, Record<string, RankOutcome>]>([
    [
      'three ranked units: a green, a yellow, a red',
      [candidate('a', 10, 70), candidate('b', 10, 90), candidate('c', 10, 80)],
      thirds,
      { b: outcome(1, 'green'), c: outcome(2, 'yellow'), a: outcome(3, 'red') },
    ],
    [
      'the minimum volume: a perfect unit with two tasks is listed but not ranked',
      [
        candidate('small', 2, 100),
        candidate('a', 5, 60),
        candidate('b', 9, 80),
        candidate('c', 6, 70),
      ],
      thirds,
      {
        small: { rank: null, card: null, unrankedReason: 'below_min_volume' },
        b: outcome(1, 'green'),
        c: outcome(2, 'yellow'),
        a: outcome(3, 'red'),
      },
    ],
    [
      'volume exactly at the minimum is ranked',
      [candidate('a', 5, 50)],
      thirds,
      // One ranked unit: ranked, but a league of one hands out no card (it was a yellow).
      { a: outcome(1, null) },
    ],
    [
      'no index (nothing due) is unranked whatever the minimum',
      [candidate('idle', 0, null), candidate('a', 8, 50)],
      { ...thirds, minVolume: 0 },
      { idle: { rank: null, card: null, unrankedReason: 'no_index' }, a: outcome(1, null) },
    ],
    [
      'ties share a rank and the next rank skips; ties across a boundary get the better card',
      [
        candidate('a', 10, 90),
        candidate('b', 10, 80),
        candidate('c', 10, 80),
        candidate('d', 10, 70),
        candidate('e', 10, 60),
        candidate('f', 10, 60),
      ],
      thirds,
      // 6 ranked: 2 green (ranks ≤ 2), 2 red (ranks > 4).
      {
        a: outcome(1, 'green'),
        b: outcome(2, 'green'),
        c: outcome(2, 'green'),
        d: outcome(4, 'yellow'),
        e: outcome(5, 'red'),
        f: outcome(5, 'red'),
      },
    ],
    [
      'two units: one green, one yellow (red needs three)',
      [candidate('a', 10, 50), candidate('b', 10, 60)],
      thirds,
      { b: outcome(1, 'green'), a: outcome(2, 'yellow') },
    ],
    [
      'configurable shares: top half green, no red',
      [
        candidate('a', 10, 40),
        candidate('b', 10, 30),
        candidate('c', 10, 20),
        candidate('d', 10, 10),
      ],
      { ...thirds, minVolume: 1, greenShare: 0.5, redShare: 0 },
      {
        a: outcome(1, 'green'),
        b: outcome(2, 'green'),
        c: outcome(3, 'yellow'),
        d: outcome(4, 'yellow'),
      },
    ],
    ['nobody', [], thirds, {}],
  ])('%s', (_name, candidates, rules, expected) => {
    expect(Object.fromEntries(rankByIndex(candidates, rules))).toEqual(expected);
  });

  it.each<[Partial<typeof thirds>, string]>([
    [{ minVolume: -1 }, 'minVolume must be a non-negative integer, got -1'],
    [{ minVolume: 1.5 }, 'minVolume must be a non-negative integer, got 1.5'],
    [{ minRankedForCards: -1 }, 'minRankedForCards must be a non-negative integer, got -1'],
    [{ minRankedForRed: 2.5 }, 'minRankedForRed must be a non-negative integer, got 2.5'],
    [{ greenShare: 1.2, redShare: 0 }, 'greenShare must be between 0 and 1, got 1.2'],
    [{ greenShare: -0.1, redShare: 0 }, 'greenShare must be between 0 and 1, got -0.1'],
    [{ greenShare: NaN, redShare: 0 }, 'greenShare must be between 0 and 1, got NaN'],
    [{ greenShare: 0, redShare: 1.5 }, 'redShare must be between 0 and 1, got 1.5'],
    [{ greenShare: 0, redShare: -0.5 }, 'redShare must be between 0 and 1, got -0.5'],
    [{ greenShare: 0.6, redShare: 0.6 }, 'greenShare + redShare must not exceed 1, got 1.2'],
  ])('refuses rules %p', (change, message) => {
    expect(() => rankByIndex([], { ...thirds, ...change })).toThrow(new RangeError(message));
  });

  it.each<Partial<typeof thirds>>([
    { minVolume: 0, minRankedForCards: 0, minRankedForRed: 0 },
    { greenShare: 0, redShare: 0 },
    { greenShare: 1, redShare: 0 },
    { greenShare: 0, redShare: 1 },
    { greenShare: 0.5, redShare: 0.5 },
  ])('accepts rules at their bounds %p', (change) => {
    expect(() => rankByIndex([], { ...thirds, ...change })).not.toThrow();
  });
});

describe('cards for small and large numbers of ranked units', () => {
  // n ranked units with distinct indexes 100, 99, …: the cards as counted from the ranking.
  function cardsOf(n: number, rules = thirds): Record<'green' | 'yellow' | 'red' | 'none', number> {
    const candidates = Array.from({ length: n }, (_, i) => candidate(`u${i}`, 10, 100 - i));
    const tally = { green: 0, yellow: 0, red: 0, none: 0 };
    for (const o of rankByIndex(candidates, rules).values()) tally[o.card ?? 'none'] += 1;
    return tally;
  }

  it.each<[number, { green: number; yellow: number; red: number; none: number }]>([
    [0, { green: 0, yellow: 0, red: 0, none: 0 }],
    // Alone: ranked 1st, no card (was a yellow: round(1 × ⅓) = 0 greens).
    [1, { green: 0, yellow: 0, red: 0, none: 1 }],
    // Two: the better is green, the other not red for being second of two.
    [2, { green: 1, yellow: 1, red: 0, none: 0 }],
    // 0.3333 × 3 = 0.9999 is a third of three: one each.
    [3, { green: 1, yellow: 1, red: 1, none: 0 }],
    [5, { green: 2, yellow: 1, red: 2, none: 0 }],
    [20, { green: 7, yellow: 6, red: 7, none: 0 }],
  ])('%i ranked units: %p', (n, expected) => {
    expect(cardsOf(n)).toEqual(expected);
    const { green, red } = cardCounts(n, thirds);
    expect({ green, red }).toEqual({ green: expected.green, red: expected.red });
  });

  it.each<[string, Partial<typeof thirds>, number, { green: number; red: number }]>([
    ['a small green share still names the best unit', { greenShare: 0.1 }, 4, { green: 1, red: 1 }],
    ['no red share: nobody red', { redShare: 0 }, 20, { green: 7, red: 0 }],
    ['no green share: nobody green', { greenShare: 0 }, 3, { green: 0, red: 1 }],
    [
      'cards from one ranked unit when configured',
      { minRankedForCards: 1 },
      1,
      { green: 1, red: 0 },
    ],
    ['red from two when configured', { minRankedForRed: 2 }, 2, { green: 1, red: 1 }],
    [
      'green first: shares of ½ and ½ over three',
      { greenShare: 0.5, redShare: 0.5 },
      3,
      { green: 2, red: 1 },
    ],
  ])('%s', (_name, rules, n, expected) => {
    expect(cardCounts(n, { ...thirds, ...rules })).toEqual(expected);
  });
});
