import type {
  Card,
  DigestCounts,
  DigestRates,
  DigestRules,
  UnrankedReason,
} from './digest-model.js';

/**
 * The 数字城管 evaluation arithmetic of DESIGN.md, kept pure so a table of cases covers it. The
 * SQL aggregate (digest.reader.ts) supplies the counts; nothing here touches the database.
 *
 * With volume (应结案数) = due − dueOnHold, i.e. the tasks whose deadline fell in the period
 * less those parked (挂账, which leave the denominator):
 *
 * - 按期结案率 = dueClosedOnTime ÷ volume — of the tasks due in the period, the share closed by
 *   their deadline. Counting the numerator among the same tasks keeps the rate within 0–1 (a
 *   task due next week but closed early this week counts next week).
 * - 结案率 = dueClosed ÷ volume — of the tasks due in the period, the share closed by the
 *   period end, on time or late.
 * - 返工率 = failedChecks ÷ checks — of the 复查 done in the period, the share that failed.
 * - 延期率 = extensionsGranted ÷ inHand — extensions approved in the period per task the unit
 *   had in hand during it.
 * - 综合指标值 = 按期结案率×60 + 结案率×30 + (1 − 返工率)×10, from 0 to 100.
 * - 未经复查销号占比 (unverifiedShare) = closedUnverified ÷ closed — of the tasks closed in the
 *   period, the share closed on the unit's submission without a 复查. It is shown beside the
 *   rates but not scored: whether a category is checked is the office's policy, not the unit's
 *   performance; the office reads it to judge how much of 结案 it has seen for itself.
 *
 * Division by zero: a rate with a zero denominator is null ("not applicable"), never 0 or 1 —
 * a unit with nothing due has neither failed nor succeeded. 综合指标值 is null when volume is
 * 0 (both closure rates are undefined); when only 返工率 is undefined (no checks in the period)
 * the index reads it as 0: no check, no rework observed.
 *
 * Rates are rounded to 4 decimals (0.01 %) and the index to 2, from the unrounded rates, so
 * equal figures on screen rank equal.
 */

const RATE_DECIMALS = 4;
const INDEX_DECIMALS = 2;

export const INDEX_WEIGHTS = { onTimeClosure: 60, closure: 30, noRework: 10 } as const;

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

const COUNT_FIELDS = [
  'received',
  'closed',
  'closedOnTime',
  'closedUnverified',
  'openOverdue',
  'supervised',
  'notified',
  'due',
  'dueOnHold',
  'dueClosed',
  'dueClosedOnTime',
  'inHand',
  'checks',
  'failedChecks',
  'extensionsGranted',
] as const satisfies readonly (keyof DigestCounts)[];

/**
 * Refuses counts that cannot come from a correct aggregate, so a query bug shows as an error
 * instead of a rate above 100 %.
 */
function assertConsistent(c: DigestCounts): void {
  for (const field of COUNT_FIELDS) {
    const value = c[field];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`${field} must be a non-negative integer, got ${value}`);
    }
  }
  const subsets: [keyof DigestCounts, keyof DigestCounts][] = [
    ['closedOnTime', 'closed'],
    ['closedUnverified', 'closed'],
    ['supervised', 'openOverdue'],
    ['notified', 'supervised'],
    ['dueOnHold', 'due'],
    ['dueClosed', 'due'],
    ['dueClosedOnTime', 'dueClosed'],
    ['failedChecks', 'checks'],
  ];
  for (const [part, whole] of subsets) {
    if ((c[part] as number) > (c[whole] as number)) {
      throw new RangeError(`${part} (${c[part]}) cannot exceed ${whole} (${c[whole]})`);
    }
  }
  if (c.dueClosed + c.dueOnHold > c.due) {
    throw new RangeError(
      `dueClosed + dueOnHold (${c.dueClosed + c.dueOnHold}) exceeds due (${c.due})`,
    );
  }
}

/** The ratios of one row of the digest; see the module comment for every formula. */
export function computeRates(c: DigestCounts): DigestRates {
  assertConsistent(c);
  const volume = c.due - c.dueOnHold;
  const onTime = ratio(c.dueClosedOnTime, volume);
  const closure = ratio(c.dueClosed, volume);
  const rework = ratio(c.failedChecks, c.checks);
  const extension = ratio(c.extensionsGranted, c.inHand);
  const unverified = ratio(c.closedUnverified, c.closed);
  const index =
    onTime === null || closure === null
      ? null
      : onTime * INDEX_WEIGHTS.onTimeClosure +
        closure * INDEX_WEIGHTS.closure +
        (1 - (rework ?? 0)) * INDEX_WEIGHTS.noRework;
  const r = (value: number | null): number | null =>
    value === null ? null : round(value, RATE_DECIMALS);
  return {
    volume,
    onTimeClosureRate: r(onTime),
    closureRate: r(closure),
    reworkRate: r(rework),
    extensionRate: r(extension),
    unverifiedShare: r(unverified),
    compositeIndex: index === null ? null : round(index, INDEX_DECIMALS),
  };
}

export interface RankCandidate {
  key: string;
  volume: number;
  compositeIndex: number | null;
}

export interface RankOutcome {
  rank: number | null;
  card: Card | null;
  unrankedReason: UnrankedReason | null;
}

export type RankingRules = Pick<DigestRules, 'minVolume' | 'greenShare' | 'redShare'>;

function assertRules(rules: RankingRules): void {
  const { minVolume, greenShare, redShare } = rules;
  if (!Number.isSafeInteger(minVolume) || minVolume < 0) {
    throw new RangeError(`minVolume must be a non-negative integer, got ${minVolume}`);
  }
  for (const [name, share] of [
    ['greenShare', greenShare],
    ['redShare', redShare],
  ] as const) {
    if (!(Number.isFinite(share) && share >= 0 && share <= 1)) {
      throw new RangeError(`${name} must be between 0 and 1, got ${share}`);
    }
  }
  if (greenShare + redShare > 1) {
    throw new RangeError(`greenShare + redShare must not exceed 1, got ${greenShare + redShare}`);
  }
}

/**
 * Ranks units by 综合指标值 and hands out cards.
 *
 * - A unit is ranked only with volume (应结案数) ≥ `minVolume` and an index: a unit with two
 *   tasks must not top the list by luck. The others are listed with `unrankedReason`.
 * - Competition ranking: units with equal indexes share a rank, the next rank skips (1, 2, 2, 4).
 * - Of n ranked units, green = round(n × greenShare) from the top, red =
 *   min(round(n × redShare), n − green) from the bottom, yellow the rest. A unit's card follows
 *   its rank: green when rank ≤ green, red when rank > n − red, so units tied across a boundary
 *   all get the better card.
 */
export function rankByIndex(
  candidates: readonly RankCandidate[],
  rules: RankingRules,
): Map<string, RankOutcome> {
  assertRules(rules);
  const out = new Map<string, RankOutcome>();
  const ranked: { key: string; index: number }[] = [];
  for (const c of candidates) {
    if (c.compositeIndex === null) {
      out.set(c.key, { rank: null, card: null, unrankedReason: 'no_index' });
    } else if (c.volume < rules.minVolume) {
      out.set(c.key, { rank: null, card: null, unrankedReason: 'below_min_volume' });
    } else {
      ranked.push({ key: c.key, index: c.compositeIndex });
    }
  }
  const n = ranked.length;
  const green = Math.round(n * rules.greenShare);
  const red = Math.min(Math.round(n * rules.redShare), n - green);
  for (const { key, index } of ranked) {
    const rank = 1 + ranked.filter((other) => other.index > index).length;
    const card: Card = rank <= green ? 'green' : rank > n - red ? 'red' : 'yellow';
    out.set(key, { rank, card, unrankedReason: null });
  }
  return out;
}
