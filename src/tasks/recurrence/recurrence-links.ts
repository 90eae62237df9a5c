import { sql } from 'kysely';
import type { TaskStatus } from '../task-lifecycle.js';

export interface RecurrenceLinkRow {
  id: string;
  number: string;
  status: TaskStatus;
  unit_id: string | null;
  lat: number | null;
  lng: number | null;
  closed_at: Date | null;
  created_at: Date;
}

/** A linked task as the JSON of `recurrenceLinkColumns` carries it (times as text). */
type LinkJson = Omit<RecurrenceLinkRow, 'closed_at' | 'created_at'> & {
  closed_at: string | null;
  created_at: string;
};

const linkJson = (alias: string) =>
  sql.raw(`jsonb_build_object('id', ${alias}.id, 'number', ${alias}.number,
    'status', ${alias}.status, 'unit_id', ${alias}.unit_id, 'lat', ${alias}.lat,
    'lng', ${alias}.lng, 'closed_at', ${alias}.closed_at, 'created_at', ${alias}.created_at)`);

/**
 * The 反弹 links of the task `t` as two columns of the detail's own SELECT (no statement more
 * for any action that reads the task back): the task it repeats, and the tasks that repeat it,
 * oldest first (on the partial index of recurrence_of_id).
 */
export function recurrenceLinkColumns() {
  return [
    sql<LinkJson | null>`(SELECT ${linkJson('e')} FROM tasks e WHERE e.id = t.recurrence_of_id)`.as(
      'recurrence_of',
    ),
    sql<LinkJson[]>`(SELECT coalesce(jsonb_agg(${linkJson('r')} ORDER BY r.created_at, r.id), '[]')
      FROM tasks r WHERE r.recurrence_of_id = t.id)`.as('recurrences'),
  ] as const;
}

export function linkRow(j: LinkJson): RecurrenceLinkRow {
  return {
    ...j,
    closed_at: j.closed_at === null ? null : new Date(j.closed_at),
    created_at: new Date(j.created_at),
  };
}
