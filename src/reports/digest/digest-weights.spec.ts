import { computeRates, weightedScore } from './digest-figures.js';
import { EMPTY_COUNTS, type DigestCounts } from './digest-model.js';

/** 来源 weights in 综合指标值 (digest-figures.ts, "来源 weights"). */

const counts = (o: Partial<DigestCounts>): DigestCounts => ({ ...EMPTY_COUNTS, ...o });

describe('weightedScore', () => {
  it.each<[string, number, number | undefined, number, number | null]>([
    ['nothing due: null', 0, 0, 0, null],
    ['no weighted sum given: the plain deduction', 4, undefined, 1, 0.75],
    ['weights 1: the plain deduction', 4, 1, 1, 0.75],
    ['one late 领导交办 (×2) of four', 4, 2, 1, 0.5],
    ['two late 媒体曝光 (×2) of four', 4, 4, 2, 0],
    ['deductions past the volume stop at 0, not below', 3, 5, 3, 0],
    ['a weight below 1 deducts less', 4, 0.5, 1, 0.875],
    ['nothing missed', 5, 0, 0, 1],
  ])('%s', (_name, volume, weighted, unweighted, expected) => {
    expect(weightedScore(volume, weighted, unweighted)).toBe(expected);
  });

  it('refuses a negative or non-finite deduction', () => {
    expect(() => weightedScore(3, -1, 0)).toThrow(RangeError);
    expect(() => weightedScore(3, Number.NaN, 0)).toThrow(RangeError);
  });
});

describe('computeRates with 来源 weights', () => {
  it.each<[string, Partial<DigestCounts>, number | null, number | null, number | null]>([
    // [name, counts, 按期结案率 shown, 结案率 shown, 综合指标值]
    [
      '4 due, 3 on time, the late one ordinary: 60×0.75 + 30×1 + 10',
      {
        due: 4,
        dueClosed: 4,
        dueClosedOnTime: 3,
        checks: 4,
        dueMissedWeighted: 1,
        dueUnclosedWeighted: 0,
      },
      0.75,
      1,
      85,
    ],
    [
      'the same, the late one 领导交办 (×2): its lateness counts twice — 60×0.5 + 30 + 10',
      {
        due: 4,
        dueClosed: 4,
        dueClosedOnTime: 3,
        checks: 4,
        dueMissedWeighted: 2,
        dueUnclosedWeighted: 0,
      },
      0.75,
      1,
      70,
    ],
    [
      'a 媒体曝光 task (×2) still open and overdue: both terms take it twice',
      {
        due: 4,
        dueClosed: 3,
        dueClosedOnTime: 3,
        checks: 3,
        dueMissedWeighted: 2,
        dueUnclosedWeighted: 2,
      },
      0.75,
      0.75,
      // 60×0.5 + 30×0.5 + 10
      55,
    ],
    [
      'heavier than the volume: the terms stop at 0, the rework term stays',
      {
        due: 2,
        dueClosed: 0,
        dueClosedOnTime: 0,
        checks: 1,
        dueMissedWeighted: 4,
        dueUnclosedWeighted: 4,
      },
      0,
      0,
      10,
    ],
    [
      'no 复查: the closure terms scaled to 100, weighted',
      { due: 2, dueClosed: 2, dueClosedOnTime: 1, dueMissedWeighted: 2, dueUnclosedWeighted: 0 },
      0.5,
      1,
      // (60×0 + 30×1) ÷ 90 × 100
      33.33,
    ],
    [
      '挂账 leaves the volume: 5 due, 1 parked, 1 late 领导交办',
      {
        due: 5,
        dueOnHold: 1,
        dueClosed: 4,
        dueClosedOnTime: 3,
        checks: 4,
        dueMissedWeighted: 2,
        dueUnclosedWeighted: 0,
      },
      0.75,
      1,
      70,
    ],
  ])('%s', (_name, c, onTime, closure, index) => {
    const rates = computeRates(counts(c));
    expect(rates.onTimeClosureRate).toBe(onTime);
    expect(rates.closureRate).toBe(closure);
    expect(rates.compositeIndex).toBe(index);
  });

  it('with every weight 1 the index equals the unweighted one exactly, for every combination', () => {
    let compared = 0;
    for (let due = 0; due <= 9; due += 1) {
      for (let onHold = 0; onHold <= due; onHold += 1) {
        for (let closed = 0; closed + onHold <= due; closed += 1) {
          for (let onTime = 0; onTime <= closed; onTime += 1) {
            for (const [checks, failed] of [
              [0, 0],
              [3, 1],
              [7, 7],
            ]) {
              const plain = counts({
                due,
                dueOnHold: onHold,
                dueClosed: closed,
                dueClosedOnTime: onTime,
                checks,
                failedChecks: failed,
              });
              const volume = due - onHold;
              const weighted = {
                ...plain,
                dueMissedWeighted: volume - onTime,
                dueUnclosedWeighted: volume - closed,
              };
              expect(computeRates(weighted)).toEqual(computeRates(plain));
              compared += 1;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});
