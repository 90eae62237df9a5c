import { parseInstantOrNull } from '../../common/time/iso-time.js';
import type { Db } from '../../database/kysely.js';
import { categoryRules } from '../data/tasks.repository.js';
import type { DeadlineService } from '../deadline/deadline.service.js';
import { deadlineNotInFuture } from '../task-errors.js';

/** An explicit deadline must be a real instant in the future. */
export function futureDeadline(value: string, now: Date, field: string): Date {
  const d = parseInstantOrNull(value);
  if (!d || d <= now) throw deadlineNotInFuture(field);
  return d;
}

/**
 * The working deadline of a task taken up now: the office's explicit one, else the category's
 * 时限 counted from now.
 */
export async function workingDeadline(
  db: Db,
  deadlines: DeadlineService,
  categoryId: string,
  now: Date,
  given: string | undefined,
): Promise<Date> {
  if (given) return futureDeadline(given, now, 'deadline');
  return deadlines.deadlineFrom(now, (await categoryRules(db, categoryId)).deadline_rule);
}
