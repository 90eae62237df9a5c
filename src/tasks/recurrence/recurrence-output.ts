import type { Principal } from '../../common/auth/principal.js';
import type { RecurrenceOfDto, RecurrenceRefDto } from '../dto/task-output.dto.js';
import { distanceMetres } from '../evidence/evidence-rules.js';
import type { RecurrenceLinkRow } from './recurrence-links.js';

/**
 * The 反弹 links as the caller may see them. The office and inspectors see every task; a unit
 * sees its own. Of another unit's task a unit learns the number (the 快报 and the digest name
 * tasks by number anyway) and when it was logged or how far it is, nothing it could open: the
 * id, its status and the closure time are null.
 */
const visibleTo = (p: Principal, unitId: string | null): boolean =>
  p.role !== 'unit' || unitId === p.unitId;

export function toRecurrenceOf(
  p: Principal,
  task: { lat: number | null; lng: number | null },
  earlier: RecurrenceLinkRow | undefined,
): RecurrenceOfDto | null {
  if (!earlier) return null;
  const seen = visibleTo(p, earlier.unit_id);
  const distance =
    task.lat !== null && task.lng !== null && earlier.lat !== null && earlier.lng !== null
      ? Math.round(
          distanceMetres({ lat: task.lat, lng: task.lng }, { lat: earlier.lat, lng: earlier.lng }) *
            10,
        ) / 10
      : null;
  return {
    id: seen ? earlier.id : null,
    number: earlier.number,
    closedAt: seen ? (earlier.closed_at?.toISOString() ?? null) : null,
    distanceM: distance,
  };
}

export function toRecurrences(p: Principal, later: RecurrenceLinkRow[]): RecurrenceRefDto[] {
  return later.map((r) => {
    const seen = visibleTo(p, r.unit_id);
    return {
      id: seen ? r.id : null,
      number: r.number,
      createdAt: r.created_at.toISOString(),
      status: seen ? r.status : null,
    };
  });
}
