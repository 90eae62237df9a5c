import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../database/kysely.js';
import type { TaskStatus } from '../../tasks/task-lifecycle.js';
import type { BBox } from '../dto/map.query.js';

/** Statuses still with someone (not 销号, not cancelled). */
export const OPEN_STATUSES: TaskStatus[] = ['pending_dispatch', 'assigned', 'submitted', 'on_hold'];

const inBox = (lng: string, lat: string, b: BBox | null): RawBuilder<SqlBool> =>
  b
    ? sql<SqlBool>`point(${sql.ref(lng)}, ${sql.ref(lat)}) <@ box(point(${b.minLng}::float8, ${b.minLat}::float8), point(${b.maxLng}::float8, ${b.maxLat}::float8))`
    : sql<SqlBool>`true`;

/**
 * The tasks `matching` (the list's filters and scope, over `tasks as t`) with a point in `box`:
 * the task's own position (the GiST index ix_tasks_position), or, for a task without one, its
 * site's. Two branches of a UNION ALL so each can use its own index.
 */
function positioned(matching: () => RawBuilder<SqlBool>, box: BBox | null) {
  return sql<{ id: string; lng: number; lat: number; position_from: 'task' | 'site' }>`
    SELECT t.id, t.lng, t.lat, 'task' AS position_from FROM tasks t
     WHERE t.lat IS NOT NULL AND t.lng IS NOT NULL AND ${inBox('t.lng', 't.lat', box)} AND ${matching()}
    UNION ALL
    SELECT t.id, s.lng, s.lat, 'site' AS position_from FROM tasks t JOIN sites s ON s.id = t.site_id
     WHERE (t.lat IS NULL OR t.lng IS NULL) AND s.lat IS NOT NULL AND s.lng IS NOT NULL
       AND ${inBox('s.lng', 's.lat', box)} AND ${matching()}`;
}

export interface MapTaskRow {
  id: string;
  number: string;
  status: TaskStatus;
  lng: number;
  lat: number;
  position_from: 'task' | 'site';
  category_code: string;
  category_name: string;
  unit_id: string | null;
  unit_name: string | null;
  site_id: string | null;
  site_name: string | null;
  address: string | null;
  assigned_at: Date | null;
  deadline: Date | null;
  closed_at: Date | null;
}

/** At most `limit` positioned tasks, the most urgent deadline first (no deadline last). */
export async function mapTasks(
  db: Db,
  matching: () => RawBuilder<SqlBool>,
  box: BBox | null,
  limit: number,
): Promise<MapTaskRow[]> {
  const { rows } = await sql<MapTaskRow>`
    SELECT t.id, t.number, t.status, p.lng, p.lat, p.position_from,
           c.code AS category_code, c.name AS category_name, t.unit_id, u.name AS unit_name,
           t.site_id, s.name AS site_name, t.address, t.assigned_at, t.deadline, t.closed_at
      FROM (${positioned(matching, box)}) p
      JOIN tasks t ON t.id = p.id
      JOIN categories c ON c.id = t.category_id
      LEFT JOIN units u ON u.id = t.unit_id
      LEFT JOIN sites s ON s.id = t.site_id
     ORDER BY t.deadline ASC NULLS LAST, t.id
     LIMIT ${limit}`.execute(db);
  return rows;
}

/** Counts per `cell`-degree square of the same tasks; `gx`, `gy` index the square. */
export async function mapGrid(
  db: Db,
  matching: () => RawBuilder<SqlBool>,
  box: BBox,
  cell: number,
): Promise<{ gx: number; gy: number; n: number }[]> {
  const { rows } = await sql<{ gx: number; gy: number; n: number }>`
    SELECT floor(p.lng / ${cell}::float8)::int AS gx, floor(p.lat / ${cell}::float8)::int AS gy,
           count(*)::int AS n
      FROM (${positioned(matching, box)}) p
     GROUP BY 1, 2
     ORDER BY 1, 2`.execute(db);
  return rows;
}

export interface MapSiteRow {
  id: string;
  code: string | null;
  name: string;
  kind: string;
  address: string | null;
  lng: number;
  lat: number;
  default_unit_id: string | null;
  default_unit_name: string | null;
  open_tasks: number;
}

/** Active positioned sites in `box` with the open tasks `visible` lets the caller count. */
export async function mapSites(
  db: Db,
  visible: RawBuilder<SqlBool>,
  box: BBox | null,
  limit: number,
): Promise<MapSiteRow[]> {
  const { rows } = await sql<MapSiteRow>`
    SELECT s.id, s.code, s.name, s.kind, s.address, s.lng, s.lat, s.default_unit_id,
           u.name AS default_unit_name, coalesce(o.n, 0)::int AS open_tasks
      FROM sites s
      LEFT JOIN units u ON u.id = s.default_unit_id
      LEFT JOIN (
        SELECT t.site_id, count(*) AS n FROM tasks t
         WHERE t.site_id IS NOT NULL AND t.status = ANY(${OPEN_STATUSES}) AND ${visible}
         GROUP BY t.site_id) o ON o.site_id = s.id
     WHERE s.active AND s.lat IS NOT NULL AND s.lng IS NOT NULL AND ${inBox('s.lng', 's.lat', box)}
     ORDER BY s.name
     LIMIT ${limit}`.execute(db);
  return rows;
}
