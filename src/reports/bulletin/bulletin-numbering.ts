import { numberInUse, numberNotAfterPublished } from './bulletin-errors.js';

/**
 * 期号. The next draft takes the number after the highest stored (a withdrawn issue's number is
 * not used again; a withdrawn last draft is deleted, which frees its number), or the number the
 * office set when that is higher: an office continuing a series at 671 sets 672 once. With no
 * issue stored, the office's number, else config/bulletin.json's `firstIssueNumber`.
 */
export function nextIssueNumber(
  lastStored: number | null,
  officeSet: number | null,
  firstFromConfig: number,
): number {
  if (lastStored === null) return officeSet ?? firstFromConfig;
  return Math.max(lastStored + 1, officeSet ?? 0);
}

/**
 * The number the office may set as the next: after every published issue (409
 * ISSUE_NUMBER_NOT_AFTER_PUBLISHED) and after every stored draft or withdrawn issue, which hold
 * theirs (409 ISSUE_NUMBER_IN_USE). Both name the field `issueNumber`.
 */
export function checkNextIssueNumber(
  wanted: number,
  bounds: { stored: number | null; published: number | null },
): void {
  if (bounds.published !== null && wanted <= bounds.published) {
    throw numberNotAfterPublished(bounds.published);
  }
  if (bounds.stored !== null && wanted <= bounds.stored) throw numberInUse(bounds.stored);
}
