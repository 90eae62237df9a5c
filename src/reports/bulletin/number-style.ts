/**
 * How the 创城办 writes numbers and dates in the 快报. Kept in one place so every section counts
 * the same way.
 */

export interface FormatCountOptions {
  /** Counts up to and including this are always written exactly. Default 15. */
  exactUpTo?: number;
}

const DEFAULT_EXACT_UP_TO = 15;

/**
 * Writes a count the way the office does: small counts exactly, large ones as a round figure
 * followed by 余 ("more than"). The caller appends the measure word: `${formatCount(n)}起`.
 *
 * The rule:
 * - `n <= exactUpTo` (default 15): exact — 6 → '6', 13 → '13', 15 → '15'.
 * - otherwise round DOWN to a step that keeps about two leading digits:
 *   - below 1000, to tens: 16 → '10余', 23 → '20余', 99 → '90余', 236 → '230余';
 *   - 1000 to 9999, to hundreds: 1934 → '1900余';
 *   - 10000 and above, to thousands (no 万): 12345 → '12000余'.
 * - When the rounded figure equals `n` no 余 is added: 80 → '80', 630 → '630', 1900 → '1900'.
 * - A count below one step (only possible with `exactUpTo` < 9) is written exactly.
 *
 * The reference issue (671) reads '6起', '13起', '10余起', '30余次', '80余家', '230余个',
 * '630余人', '1900余人次' under this rule.
 *
 * @throws RangeError when `n` is not a non-negative safe integer.
 */
export function formatCount(n: number, options: FormatCountOptions = {}): string {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`formatCount: expected a non-negative integer, got ${n}`);
  }
  const exactUpTo = options.exactUpTo ?? DEFAULT_EXACT_UP_TO;
  if (n <= exactUpTo) return String(n);
  const step = n < 1000 ? 10 : n < 10000 ? 100 : 1000;
  const rounded = Math.floor(n / step) * step;
  if (rounded === 0 || rounded === n) return String(n);
  return `${rounded}余`;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(date: string): { year: number; month: number; day: number } {
  const match = DATE_PATTERN.exec(date);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    // Date.UTC rolls 02-30 over into March; a round trip catches impossible days.
    const probe = new Date(Date.UTC(year, month - 1, day));
    if (probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new RangeError(`expected a calendar date as YYYY-MM-DD, got '${date}'`);
}

/** '2026-11-07' → '7日': the day as the paragraphs write it ('王建华7日到…'), no leading zero. */
export function formatDayOfMonth(date: string): string {
  return `${parseDate(date).day}日`;
}

/**
 * '2026-11-22' → '2026年11月22日'. No leading zeros: issue 671's masthead shows '4月07日', which
 * is at odds with its own unpadded month, so we follow the standard form.
 */
export function formatChineseDate(date: string): string {
  const { year, month, day } = parseDate(date);
  return `${year}年${month}月${day}日`;
}

const DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/**
 * 1 → '一', 10 → '十', 11 → '十一', 20 → '二十', 99 → '九十九': for '一要…二要…'. Lists longer
 * than 99 do not occur in a bulletin, so larger numbers are refused rather than guessed.
 *
 * @throws RangeError outside 1..99.
 */
export function chineseOrdinal(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) {
    throw new RangeError(`chineseOrdinal: expected an integer from 1 to 99, got ${n}`);
  }
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  if (tens === 0) return DIGITS[ones];
  return `${tens === 1 ? '' : DIGITS[tens]}十${DIGITS[ones]}`;
}
