import { invalidField } from '../../common/errors/domain-error.js';
import { parseInstantOrNull } from '../../common/time/iso-time.js';
import type { TaskFilterQuery } from '../dto/list-tasks.query.js';

const INSTANT_FIELDS = [
  'createdFrom',
  'createdTo',
  'closedFrom',
  'closedTo',
  'deadlineFrom',
  'deadlineTo',
] as const satisfies readonly (keyof TaskFilterQuery)[];

/** Postgres refuses NUL in text: such a search would fail inside the query, mid-download. */
// eslint-disable-next-line no-control-regex -- the NUL character is exactly what is looked for
const NUL = /\u0000/;

/**
 * What the request DTO lets through but the query cannot use, checked before the export sends
 * its first byte: once a file has started, an error can only cut it short (a 49-byte "ledger"),
 * so a bad filter must be a 400 naming the field instead.
 */
export function assertLedgerFilter(f: TaskFilterQuery): void {
  for (const field of INSTANT_FIELDS) {
    const value = f[field];
    if (value !== undefined && !parseInstantOrNull(value)) {
      throw invalidField(field, `${field} 不是有效的时间`, 'isDateString');
    }
  }
  if (f.q !== undefined && NUL.test(f.q)) {
    throw invalidField('q', 'q 含有不允许的字符', 'noNulCharacter');
  }
}
