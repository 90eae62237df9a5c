import { sql, type Selectable, type Updateable } from 'kysely';
import type { InspectionPlans } from '../database/db.generated.js';
import type { Db } from '../database/kysely.js';
import { visitedSql } from './coverage.reader.js';
import type { PlanPeriodKind } from './inspection-plan.entity.js';

/**
 * 督导计划 rows (inspection_plans and their inspection_plan_sites), typed from the migrated
 * schema. Every function takes the transaction it runs in.
 */

export interface NewPlan {
  inspectorId: string;
  periodKind: PlanPeriodKind;
  periodStart: string;
  periodEnd: string;
  note: string | null;
  createdBy: string;
}

export interface PlanSiteRow {
  id: string;
  code: string | null;
  name: string;
  kind: string;
  unitId: string | null;
  unitName: string | null;
  /** Visited by the plan's inspector in the plan's period up to today (coverage.reader.ts). */
  visited: boolean;
}

export interface PlanRow {
  id: string;
  inspector_id: string;
  inspector_name: string;
  period_kind: PlanPeriodKind;
  period_start: string;
  period_end: string;
  note: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  version: number;
  sites: PlanSiteRow[];
}

export interface PlanFilter {
  id?: string;
  inspectorId?: string;
  /** Plans whose period overlaps [from, to] (either may be absent). */
  from?: string;
  to?: string;
}

const day = (value: string) => sql<Date>`${value}::date`;

export const plansRepository = {
  async insert(db: Db, n: NewPlan): Promise<string> {
    const { id } = await db
      .insertInto('inspection_plans')
      .values({
        inspector_id: n.inspectorId,
        period_kind: n.periodKind,
        period_start: n.periodStart,
        period_end: n.periodEnd,
        note: n.note,
        created_by: n.createdBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  },

  /** The row, locked FOR UPDATE until the transaction ends. */
  lock(db: Db, id: string): Promise<Pick<Selectable<InspectionPlans>, 'version'> | undefined> {
    return db
      .selectFrom('inspection_plans')
      .select(['version'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  },

  async update(db: Db, id: string, set: Updateable<InspectionPlans>): Promise<void> {
    await db
      .updateTable('inspection_plans')
      .set({ ...set, version: sql<number>`version + 1` })
      .where('id', '=', id)
      .execute();
  },

  async delete(db: Db, id: string): Promise<boolean> {
    const r = await db.deleteFrom('inspection_plans').where('id', '=', id).executeTakeFirst();
    return r.numDeletedRows > 0n;
  },

  /** Another plan of the same inspector, kind and first day (the unique key), if any. */
  async samePeriod(
    db: Db,
    inspectorId: string,
    periodKind: PlanPeriodKind,
    periodStart: string,
    exceptId?: string,
  ): Promise<string | undefined> {
    const row = await db
      .selectFrom('inspection_plans')
      .select('id')
      .where('inspector_id', '=', inspectorId)
      .where('period_kind', '=', periodKind)
      .where('period_start', '=', day(periodStart))
      .$if(exceptId !== undefined, (qb) => qb.where('id', '<>', exceptId!))
      .executeTakeFirst();
    return row?.id;
  },

  async replaceSites(db: Db, planId: string, siteIds: string[]): Promise<void> {
    await db.deleteFrom('inspection_plan_sites').where('plan_id', '=', planId).execute();
    if (siteIds.length === 0) return;
    await db
      .insertInto('inspection_plan_sites')
      .values(siteIds.map((site_id) => ({ plan_id: planId, site_id })))
      .execute();
  },

  /** The user's role and whether it is active, or undefined when there is no such user. */
  userById(db: Db, id: string): Promise<{ role: string; active: boolean } | undefined> {
    return db
      .selectFrom('users')
      .select(['role', 'active'])
      .where('id', '=', id)
      .executeTakeFirst();
  },

  /** Of `ids`, those of active sites. */
  async activeSiteIds(db: Db, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await db
      .selectFrom('sites')
      .select((eb) => eb.cast<string>('id', 'text').as('id'))
      .where(sql<boolean>`id::text = ANY(${ids}::text[])`)
      .where('active', '=', true)
      .execute();
    return new Set(rows.map((r) => r.id));
  },

  /**
   * Plans, newest period first, each with its sites and whether the inspector visited each in
   * the plan's period up to `today` (Shanghai).
   */
  async find(db: Db, f: PlanFilter, today: string, limit: number): Promise<PlanRow[]> {
    const rows = await db
      .selectFrom('inspection_plans as p')
      .innerJoin('users as u', 'u.id', 'p.inspector_id')
      .select((eb) => [
        'p.id',
        'p.inspector_id',
        'u.display_name as inspector_name',
        'p.period_kind',
        eb
          .fn<string>('to_char', [eb.ref('p.period_start'), sql.lit('YYYY-MM-DD')])
          .as('period_start'),
        eb.fn<string>('to_char', [eb.ref('p.period_end'), sql.lit('YYYY-MM-DD')]).as('period_end'),
        'p.note',
        'p.created_by',
        'p.created_at',
        'p.updated_at',
        'p.version',
        sql<PlanSiteRow[]>`coalesce((
          SELECT json_agg(json_build_object(
                   'id', s.id, 'code', s.code, 'name', s.name, 'kind', s.kind,
                   'unitId', s.default_unit_id, 'unitName', un.name,
                   'visited', ${visitedSql(
                     sql.ref('p.inspector_id'),
                     sql.ref('s.id'),
                     sql.ref('p.period_start'),
                     sql<string>`least(p.period_end, ${today}::date)`,
                   )})
                 ORDER BY s.kind, s.name)
          FROM inspection_plan_sites ps
          JOIN sites s ON s.id = ps.site_id
          LEFT JOIN units un ON un.id = s.default_unit_id
          WHERE ps.plan_id = p.id), '[]')`.as('sites'),
      ])
      .$if(f.id !== undefined, (qb) => qb.where('p.id', '=', f.id!))
      .$if(f.inspectorId !== undefined, (qb) => qb.where('p.inspector_id', '=', f.inspectorId!))
      .$if(f.from !== undefined, (qb) => qb.where('p.period_end', '>=', day(f.from!)))
      .$if(f.to !== undefined, (qb) => qb.where('p.period_start', '<=', day(f.to!)))
      .orderBy('p.period_start', 'desc')
      .orderBy('u.display_name')
      .orderBy('p.id')
      .limit(limit)
      .execute();
    return rows as PlanRow[];
  },
};
