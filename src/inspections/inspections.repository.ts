import { sql, type ExpressionBuilder, type Selectable, type Updateable } from 'kysely';
import type { DB, Inspections } from '../database/db.generated.js';
import type { Db } from '../database/kysely.js';
import type {
  InspectionKind,
  Remark,
  Requirement,
  RequirementNumbering,
  TitledPerson,
} from './inspection.entity.js';

/**
 * 督导检查 rows (inspections, their units and sites), typed from the migrated schema. Every
 * function takes the transaction it runs in; none has a default.
 */

type Row = Selectable<Inspections>;

export type InspectionRow = Pick<
  Row,
  | 'id'
  | 'activity'
  | 'lead_persons'
  | 'lead_rank'
  | 'accompanying'
  | 'location'
  | 'target'
  | 'focus'
  | 'source'
  | 'notes'
  | 'created_by'
  | 'created_at'
  | 'updated_at'
  | 'voided_at'
  | 'voided_by'
  | 'void_reason'
  | 'convener'
  | 'purpose'
  | 'participant_groups'
  | 'requirements_by'
  | 'looked_at'
> & {
  kind: InspectionKind;
  /** The day, YYYY-MM-DD (a `date`, read as text so no time zone shifts it). */
  held_on: string;
  requirements: Requirement[];
  requirement_numbering: RequirementNumbering;
  leaders: TitledPerson[];
  escorts: TitledPerson[];
  remarks: Remark[];
  units: { id: string; name: string }[];
  sites: VisitedSiteRow[];
  task_ids: string[];
  closed: number;
  open: number;
};

export interface VisitedSiteRow {
  id: string;
  name: string;
  alias: string | null;
}

/** The house-style columns (issue 14), as the service has checked them. */
export interface HouseStyleColumns {
  convener: string | null;
  purpose: string | null;
  leaders: TitledPerson[];
  escorts: TitledPerson[];
  participantGroups: string[];
  remarks: Remark[];
  requirementsBy: string | null;
  requirementNumbering: RequirementNumbering;
  lookedAt: string | null;
}

/** The new row's columns, as the service has checked and trimmed them. */
export interface NewInspection extends HouseStyleColumns {
  kind: InspectionKind;
  activity: string;
  leadPersons: string[];
  leadRank: number;
  accompanying: string[];
  heldOn: string;
  location: string;
  target: string | null;
  focus: string | null;
  requirements: Requirement[];
  source: string;
  notes: string | null;
  createdBy: string;
}

/** Which inspections, and which of their tasks, a caller sees. */
export interface InspectionScope {
  /**
   * A unit sees those it took part in or that raised its tasks, and only its own tasks (a unit
   * principal without a unit, null, sees none).
   */
  unitId?: string | null;
}

export interface InspectionFilter {
  id?: string;
  kind?: InspectionKind;
  /** Held on or after this day, YYYY-MM-DD. */
  from?: string;
  /** Held on or before this day. */
  to?: string;
  /** Keyset: (held_on, id) before these. */
  before?: [string, string];
}

type InspectionEb = ExpressionBuilder<DB & { i: Inspections }, 'i'>;

const day = (value: string) => sql<Date>`${value}::date`;

/** The inspection's tasks a caller may count. */
const tasksOf = (eb: InspectionEb, scope: InspectionScope) =>
  eb
    .selectFrom('tasks as t')
    .whereRef('t.inspection_id', '=', 'i.id')
    .$if(scope.unitId !== undefined, (qb) => qb.where('t.unit_id', '=', scope.unitId!));

export const inspectionsRepository = {
  async insert(db: Db, n: NewInspection): Promise<string> {
    const { id } = await db
      .insertInto('inspections')
      .values({
        kind: n.kind,
        activity: n.activity,
        lead_persons: n.leadPersons,
        lead_rank: n.leadRank,
        accompanying: n.accompanying,
        held_on: n.heldOn,
        location: n.location,
        target: n.target,
        focus: n.focus,
        requirements: JSON.stringify(n.requirements),
        source: n.source,
        notes: n.notes,
        created_by: n.createdBy,
        convener: n.convener,
        purpose: n.purpose,
        leaders: JSON.stringify(n.leaders),
        escorts: JSON.stringify(n.escorts),
        participant_groups: n.participantGroups,
        remarks: JSON.stringify(n.remarks),
        requirements_by: n.requirementsBy,
        requirement_numbering: n.requirementNumbering,
        looked_at: n.lookedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  },

  /** The row, locked FOR UPDATE until the transaction ends. */
  lock(
    db: Db,
    id: string,
  ): Promise<
    | (Pick<Row, 'created_by' | 'lead_persons' | 'voided_at' | 'requirements'> & {
        requirement_numbering: RequirementNumbering;
      })
    | undefined
  > {
    return db
      .selectFrom('inspections')
      .select(['created_by', 'lead_persons', 'voided_at', 'requirements'])
      .select(sql<RequirementNumbering>`requirement_numbering`.as('requirement_numbering'))
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  },

  async update(db: Db, id: string, set: Updateable<Inspections>): Promise<void> {
    await db.updateTable('inspections').set(set).where('id', '=', id).execute();
  },

  /** Newest first; each with its units, sites and the tasks the scope may see. */
  async find(
    db: Db,
    scope: InspectionScope,
    f: InspectionFilter,
    limit: number,
  ): Promise<InspectionRow[]> {
    const rows = await db
      .selectFrom('inspections as i')
      .select((eb) => [
        'i.id',
        'i.kind',
        'i.activity',
        'i.lead_persons',
        'i.lead_rank',
        'i.accompanying',
        eb.fn<string>('to_char', [eb.ref('i.held_on'), sql.lit('YYYY-MM-DD')]).as('held_on'),
        'i.location',
        'i.target',
        'i.focus',
        'i.requirements',
        'i.source',
        'i.notes',
        'i.created_by',
        'i.created_at',
        'i.updated_at',
        'i.voided_at',
        'i.voided_by',
        'i.void_reason',
        'i.convener',
        'i.purpose',
        'i.leaders',
        'i.escorts',
        'i.participant_groups',
        'i.remarks',
        'i.requirements_by',
        'i.requirement_numbering',
        'i.looked_at',
        eb
          .selectFrom('inspection_units as iu')
          .innerJoin('units as u', 'u.id', 'iu.unit_id')
          .select((e) =>
            sql<
              { id: string; name: string }[]
            >`coalesce(json_agg(json_build_object('id', ${e.ref('u.id')}, 'name', ${e.ref('u.name')}) ORDER BY ${e.ref('iu.position')}), '[]')`.as(
              'units',
            ),
          )
          .whereRef('iu.inspection_id', '=', 'i.id')
          .$asScalar()
          .as('units'),
        eb
          .selectFrom('inspection_sites as isi')
          .innerJoin('sites as s', 's.id', 'isi.site_id')
          .select((e) =>
            sql<
              VisitedSiteRow[]
            >`coalesce(json_agg(json_build_object('id', ${e.ref('s.id')}, 'name', ${e.ref('s.name')}, 'alias', ${e.ref('isi.alias')}) ORDER BY ${e.ref('isi.position')}), '[]')`.as(
              'sites',
            ),
          )
          .whereRef('isi.inspection_id', '=', 'i.id')
          .$asScalar()
          .as('sites'),
        tasksOf(eb, scope)
          .select((e) =>
            sql<
              string[]
            >`coalesce(array_agg(${e.ref('t.id')} ORDER BY ${e.ref('t.number')}), '{}')`.as('ids'),
          )
          .$asScalar()
          .as('task_ids'),
        tasksOf(eb, scope)
          .select(sql<number>`count(*)::int`.as('n'))
          .where('t.status', '=', 'closed')
          .$asScalar()
          .as('closed'),
        tasksOf(eb, scope)
          .select(sql<number>`count(*)::int`.as('n'))
          .where('t.status', 'not in', ['closed', 'cancelled'])
          .$asScalar()
          .as('open'),
      ])
      .$narrowType<{
        kind: InspectionKind;
        units: { id: string; name: string }[];
        sites: VisitedSiteRow[];
        requirement_numbering: RequirementNumbering;
        task_ids: string[];
        closed: number;
        open: number;
      }>()
      .$if(scope.unitId !== undefined, (qb) =>
        qb.where((eb) =>
          eb.or([
            eb.exists(
              eb
                .selectFrom('inspection_units as iu')
                .select(sql.lit(1).as('one'))
                .whereRef('iu.inspection_id', '=', 'i.id')
                .where('iu.unit_id', '=', scope.unitId!),
            ),
            eb.exists(
              eb
                .selectFrom('tasks as t')
                .select(sql.lit(1).as('one'))
                .whereRef('t.inspection_id', '=', 'i.id')
                .where('t.unit_id', '=', scope.unitId!),
            ),
          ]),
        ),
      )
      .$if(f.id !== undefined, (qb) => qb.where('i.id', '=', f.id!))
      .$if(f.kind !== undefined, (qb) => qb.where('i.kind', '=', f.kind!))
      .$if(f.from !== undefined, (qb) => qb.where('i.held_on', '>=', day(f.from!)))
      .$if(f.to !== undefined, (qb) => qb.where('i.held_on', '<=', day(f.to!)))
      .$if(f.before !== undefined, (qb) =>
        qb.where((eb) =>
          eb(
            eb.refTuple('i.held_on', 'i.id'),
            '<',
            eb.tuple(day(f.before![0]), sql<string>`${f.before![1]}::uuid`),
          ),
        ),
      )
      .orderBy('i.held_on', 'desc')
      .orderBy('i.id', 'desc')
      .limit(limit)
      .execute();
    // The jsonb lists are written only from their validated DTOs (create and update).
    return rows.map((r) => ({
      ...r,
      requirements: r.requirements as unknown as Requirement[],
      leaders: r.leaders as unknown as TitledPerson[],
      escorts: r.escorts as unknown as TitledPerson[],
      remarks: r.remarks as unknown as Remark[],
    }));
  },

  /** Units by id or code among `refs` (ids lower-cased), active ones only. */
  activeUnitsByRef(db: Db, refs: string[]): Promise<{ id: string; code: string; name: string }[]> {
    return db
      .selectFrom('units')
      .select((eb) => [eb.cast<string>('id', 'text').as('id'), 'code', 'name'])
      .where((eb) =>
        eb.or([
          eb(eb.cast<string>('id', 'text'), '=', anyText(refs)),
          eb('code', '=', anyText(refs)),
        ]),
      )
      .where('active', '=', true)
      .execute();
  },

  /** Sites by id or code among `refs` (ids lower-cased). */
  sitesByRef(db: Db, refs: string[]): Promise<{ id: string; code: string | null; name: string }[]> {
    return db
      .selectFrom('sites')
      .select((eb) => [eb.cast<string>('id', 'text').as('id'), 'code', 'name'])
      .where((eb) =>
        eb.or([
          eb(eb.cast<string>('id', 'text'), '=', anyText(refs)),
          eb('code', '=', anyText(refs)),
        ]),
      )
      .execute();
  },

  /** Replaces the participating units, in the order given. */
  async replaceUnits(db: Db, inspectionId: string, unitIds: string[]): Promise<void> {
    await db.deleteFrom('inspection_units').where('inspection_id', '=', inspectionId).execute();
    if (!unitIds.length) return;
    await db
      .insertInto('inspection_units')
      .values(
        unitIds.map((unitId, i) => ({
          inspection_id: inspectionId,
          unit_id: unitId,
          position: i + 1,
        })),
      )
      .execute();
  },

  /** Replaces the visited sites, in the order given, each with its alias. */
  async replaceSites(
    db: Db,
    inspectionId: string,
    sites: { siteId: string; alias: string | null }[],
  ): Promise<void> {
    await db.deleteFrom('inspection_sites').where('inspection_id', '=', inspectionId).execute();
    if (!sites.length) return;
    await db
      .insertInto('inspection_sites')
      .values(
        sites.map(({ siteId, alias }, i) => ({
          inspection_id: inspectionId,
          site_id: siteId,
          position: i + 1,
          alias,
        })),
      )
      .execute();
  },
};

/** `= ANY($1::text[])`: one parameter for the whole list. */
const anyText = (values: string[]) => sql<string>`ANY(${values}::text[])`;
