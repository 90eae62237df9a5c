import { parseInstantOrNull } from '../../common/time/iso-time.js';
import type { EntityManager } from 'typeorm';
import type { CategoriesService } from '../../catalog/categories.service.js';
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
 * 时限 counted from now (the category from the process's kept catalog, `CategoriesService`).
 */
export async function workingDeadline(
  categories: CategoriesService,
  em: EntityManager,
  deadlines: DeadlineService,
  categoryId: string,
  now: Date,
  given: string | undefined,
): Promise<Date> {
  if (given) return futureDeadline(given, now, 'deadline');
  return deadlines.deadlineFrom(now, (await categories.rulesOf(categoryId, em)).deadlineRule);
}
