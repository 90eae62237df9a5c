import { distanceMetres } from '../evidence/evidence-rules.js';
import type { TaskStatus } from '../task-lifecycle.js';

/**
 * 反弹 (a problem that comes back): when a problem of a category is logged near a task of the
 * same category that was closed (销号) in the last `windowDays`, the new task is linked to that
 * task (`tasks.recurrence_of_id`) and counted as its recurrence. This is not the office's reopen
 * of the same task (`reopen`, which puts the closed task back to work and counts `reopen_count`):
 * a recurrence is a new problem, routed and judged like any other, that says the earlier fix did
 * not last.
 *
 * The rule, pure (the query that fetches candidates is recurrence.repository.ts):
 * - The category's `recurrenceRadiusM` 0 turns it off: nothing is a recurrence.
 * - Only `closed` tasks of the same category count; open, parked and cancelled ones (a cancelled
 *   task was never a fix) do not — an open task nearby is a duplicate, the phone's hint.
 * - Window: closed at or before the new problem's 发现时间 (`foundAt`) and at most `windowDays`
 *   × 24 h before it. A problem found before the closure (a phone that synced late) is not the
 *   closure's failure.
 * - Place: when both tasks have a position, the great-circle distance (haversine, the helper the
 *   photo-evidence rule uses, which the SQL of the duplicate hint mirrors) is at most the radius,
 *   inclusive. When either lacks a position, the same 点位 (`site_id`) is the same place, and the
 *   distance is unknown (null). Neither: no match.
 * - Several match: the nearest to the metre (known distances first, a same-site match without distance after
 *   them), then the latest closed, then the smallest id, so the choice never depends on row order.
 */

export interface Position {
  lat: number;
  lng: number;
}

/** The new problem, as it is about to be written. */
export interface RecurrenceProbe {
  categoryId: string;
  siteId: string | null;
  position: Position | null;
  foundAt: Date;
}

/** A task that might be the one that came back. */
export interface RecurrenceCandidate {
  id: string;
  categoryId: string;
  status: TaskStatus;
  siteId: string | null;
  position: Position | null;
  closedAt: Date | null;
}

export interface RecurrenceSettings {
  /** The category's radius in metres; 0 = off. */
  radiusM: number;
  windowDays: number;
}

export interface RecurrenceMatch<C extends RecurrenceCandidate> {
  task: C;
  /** Metres between the two positions; null when matched by site without positions. */
  distanceM: number | null;
}

const DAY_MS = 86_400_000;

/** Distances compared to the metre (the positions are a phone's); unknown ones last. */
const metres = (d: number | null): number => (d === null ? Infinity : Math.round(d));

/** The place test alone: a distance within the radius, or the same site without positions. */
export function samePlace(
  probe: Pick<RecurrenceProbe, 'siteId' | 'position'>,
  c: Pick<RecurrenceCandidate, 'siteId' | 'position'>,
  radiusM: number,
): { distanceM: number | null } | null {
  if (probe.position && c.position) {
    const d = distanceMetres(probe.position, c.position);
    return d <= radiusM ? { distanceM: d } : null;
  }
  if (probe.siteId !== null && probe.siteId === c.siteId) return { distanceM: null };
  return null;
}

/** Whether `closedAt` lies in the window that ends at `foundAt`. */
export function inWindow(closedAt: Date, foundAt: Date, windowDays: number): boolean {
  const gap = foundAt.getTime() - closedAt.getTime();
  return gap >= 0 && gap <= windowDays * DAY_MS;
}

/** The closed task the new problem is a recurrence of, or null (see the module comment). */
export function findRecurrence<C extends RecurrenceCandidate>(
  probe: RecurrenceProbe,
  candidates: readonly C[],
  settings: RecurrenceSettings,
): RecurrenceMatch<C> | null {
  if (settings.radiusM <= 0) return null;
  const matches: RecurrenceMatch<C>[] = [];
  for (const c of candidates) {
    if (c.status !== 'closed' || c.closedAt === null) continue;
    if (c.categoryId !== probe.categoryId) continue;
    if (!inWindow(c.closedAt, probe.foundAt, settings.windowDays)) continue;
    const place = samePlace(probe, c, settings.radiusM);
    if (place) matches.push({ task: c, distanceM: place.distanceM });
  }
  matches.sort(
    (a, b) =>
      metres(a.distanceM) - metres(b.distanceM) ||
      (b.task.closedAt?.getTime() ?? 0) - (a.task.closedAt?.getTime() ?? 0) ||
      (a.task.id < b.task.id ? -1 : a.task.id > b.task.id ? 1 : 0),
  );
  return matches[0] ?? null;
}
