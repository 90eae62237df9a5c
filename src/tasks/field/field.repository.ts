import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../database/kysely.js';
import { taskRows } from '../data/task-views.repository.js';
import { OPEN_STATUSES } from '../task-lifecycle.js';

/** Mean Earth radius (IUGG), metres. */
const EARTH_RADIUS_M = 6_371_008.8;
/** Metres per degree of latitude, near enough for a bounding box that only pre-filters. */
const M_PER_DEG_LAT = 111_320;

export interface Point {
  lat: number;
  lng: number;
}

/**
 * Great-circle distance in metres from `p` to the task's position (haversine), null for a task
 * without one. Plain SQL, no PostGIS: the lists it orders are short (a radius, or one status).
 */
export function distanceFrom(p: Point): RawBuilder<number | null> {
  // `least` ignores NULLs (least(1, NULL) = 1), so the missing position is said explicitly.
  return sql<number | null>`(CASE WHEN t.lat IS NULL OR t.lng IS NULL THEN NULL
    ELSE 2 * ${EARTH_RADIUS_M}::float8 * asin(least(1, sqrt(
      power(sin(radians(t.lat - ${p.lat}::float8) / 2), 2)
      + cos(radians(${p.lat}::float8)) * cos(radians(t.lat))
        * power(sin(radians(t.lng - ${p.lng}::float8) / 2), 2)))) END)`;
}

/**
 * A box around `p` that holds the circle of `radiusM`, so the index on (category, lat, lng)
 * narrows the rows before the exact distance is computed. Near the poles (or the antimeridian,
 * not in this district) the longitude band is left open rather than computed wrong.
 */
export function boxAround(p: Point, radiusM: number): RawBuilder<SqlBool> {
  return inBounds(boundsAround(p, radiusM));
}

/** `t`'s position inside `b`. */
export function inBounds(b: Bounds): RawBuilder<SqlBool> {
  return sql<SqlBool>`t.lat BETWEEN ${b.minLat}::float8 AND ${b.maxLat}::float8
    AND t.lng BETWEEN ${b.minLng}::float8 AND ${b.maxLng}::float8`;
}

/** The corners of `boxAround`'s box. */
export function boundsAround(p: Point, radiusM: number): Bounds {
  const dLat = radiusM / M_PER_DEG_LAT;
  const cosLat = Math.cos((p.lat * Math.PI) / 180);
  const dLng = cosLat > 0.01 ? radiusM / (M_PER_DEG_LAT * cosLat) : 360;
  return { minLat: p.lat - dLat, maxLat: p.lat + dLat, minLng: p.lng - dLng, maxLng: p.lng + dLng };
}

export interface Bounds {
  minLat: number;
  maxLat: number;
  minLng: number;
  maxLng: number;
}

/** A task row as lists show it, with its distance from `p` and its first before-photo. */
function nearbyRows(db: Db, p: Point) {
  return taskRows(db).select((eb) => [
    distanceFrom(p).as('distance_m'),
    eb
      .selectFrom('task_attachments as ta')
      .select('ta.attachment_id')
      .whereRef('ta.task_id', '=', 't.id')
      .where('ta.role', '=', 'before')
      .orderBy('ta.event_id')
      .orderBy('ta.attachment_id')
      .limit(1)
      .as('first_before_photo_id'),
  ]);
}

export type NearbyTaskRow = Awaited<
  ReturnType<ReturnType<typeof nearbyRows>['executeTakeFirstOrThrow']>
>;

/**
 * Open tasks of one category within `radiusM` of `p`, found or created since `since`, that the
 * caller may see (`visible`), nearest first.
 */
export function openTasksNear(
  db: Db,
  q: {
    point: Point;
    categoryId: string;
    radiusM: number;
    since: Date;
    visible: Expression<SqlBool>;
    limit: number;
  },
): Promise<NearbyTaskRow[]> {
  return nearbyRows(db, q.point)
    .where('t.category_id', '=', q.categoryId)
    .where('t.status', 'in', [...OPEN_STATUSES])
    .where('t.lat', 'is not', null)
    .where(boxAround(q.point, q.radiusM))
    .where((eb) => eb.or([eb('t.found_at', '>=', q.since), eb('t.created_at', '>=', q.since)]))
    .where(sql<SqlBool>`${distanceFrom(q.point)} <= ${q.radiusM}::float8`)
    .where(q.visible)
    .orderBy(sql`distance_m`)
    .orderBy('t.id')
    .limit(q.limit)
    .execute();
}

/** Tasks awaiting a 复查 (`submitted`), nearest to `p` first, those without a position last. */
export function tasksAwaitingCheckNear(
  db: Db,
  q: { point: Point; visible: Expression<SqlBool>; limit: number },
): Promise<NearbyTaskRow[]> {
  return nearbyRows(db, q.point)
    .where('t.status', '=', 'submitted')
    .where(q.visible)
    .orderBy(sql`distance_m ASC NULLS LAST`)
    .orderBy('t.id')
    .limit(q.limit)
    .execute();
}

/** One event of the trail by id (the observation just written, to answer with). */
export function taskEventById(db: Db, id: string) {
  return db.selectFrom('task_events').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
