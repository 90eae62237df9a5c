import { sql, type Selectable } from 'kysely';
import type { Bulletins } from '../../database/db.generated.js';
import type { Db } from '../../database/kysely.js';
import type { ParagraphEdits } from './bulletin-edits.js';
import type { BulletinSection } from './bulletin-model.js';
import type { BulletinStatus } from './bulletin.entity.js';

/**
 * 快报 rows (bulletins), typed from the migrated schema. Every function takes the transaction
 * it runs in (`dbOf(em)`); none reads on a default connection. The JSON columns are narrowed to
 * the shapes the service writes, and `status` to its union, here at the boundary.
 */

type Row = Selectable<Bulletins>;

/** An issue as lists show it: the columns and who created and published it. */
export type BulletinSummaryRow = Pick<
  Row,
  | 'id'
  | 'issue_number'
  | 'period_start'
  | 'period_end'
  | 'version'
  | 'created_by'
  | 'created_at'
  | 'updated_at'
  | 'published_by'
  | 'published_at'
> & {
  /** The masthead day, YYYY-MM-DD (a `date`, read as text so no time zone shifts it). */
  issue_date: string;
  status: BulletinStatus;
  created_by_name: string;
  published_by_name: string | null;
};

export type BulletinRow = BulletinSummaryRow & {
  generated: BulletinSection[];
  edited: ParagraphEdits;
};

/** What a change needs of the row it locked. */
export type LockedBulletin = Pick<
  Row,
  'id' | 'issue_number' | 'version' | 'period_start' | 'period_end'
> & {
  status: BulletinStatus;
  generated: BulletinSection[];
  edited: ParagraphEdits;
};

const summaries = (db: Db) =>
  db
    .selectFrom('bulletins as b')
    .innerJoin('users as cu', 'cu.id', 'b.created_by')
    .leftJoin('users as pu', 'pu.id', 'b.published_by')
    .select((eb) => [
      'b.id',
      'b.issue_number',
      eb.fn<string>('to_char', [eb.ref('b.issue_date'), sql.lit('YYYY-MM-DD')]).as('issue_date'),
      'b.period_start',
      'b.period_end',
      'b.status',
      'b.version',
      'b.created_by',
      'cu.display_name as created_by_name',
      'b.created_at',
      'b.updated_at',
      'b.published_by',
      'pu.display_name as published_by_name',
      'b.published_at',
    ])
    .$narrowType<{ status: BulletinStatus }>();

/** JSON for a jsonb parameter: the driver would send a JS array as a Postgres array. */
const json = (value: BulletinSection[] | ParagraphEdits): string => JSON.stringify(value);

export const bulletinsRepository = {
  /** Serialises numbering until the transaction ends (see BULLETIN_NUMBER_LOCK). */
  async lockNumbering(db: Db, lock: number): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(${lock})`.execute(db);
  },

  lastIssue(db: Db): Promise<Pick<Row, 'issue_number' | 'period_end'> | undefined> {
    return db
      .selectFrom('bulletins')
      .select(['issue_number', 'period_end'])
      .orderBy('issue_number', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  /** The first issue whose period overlaps [start, end). */
  async firstOverlapping(db: Db, start: Date, end: Date): Promise<number | undefined> {
    const row = await db
      .selectFrom('bulletins')
      .select('issue_number')
      .where('period_start', '<', end)
      .where('period_end', '>', start)
      .orderBy('issue_number')
      .limit(1)
      .executeTakeFirst();
    return row?.issue_number;
  },

  async insert(
    db: Db,
    b: {
      issueNumber: number;
      issueDate: string;
      start: Date;
      end: Date;
      status: BulletinStatus;
      generated: BulletinSection[];
      createdBy: string;
      now: Date;
    },
  ): Promise<string> {
    const { id } = await db
      .insertInto('bulletins')
      .values({
        issue_number: b.issueNumber,
        issue_date: b.issueDate,
        period_start: b.start,
        period_end: b.end,
        status: b.status,
        generated: json(b.generated),
        edited: '{}',
        created_by: b.createdBy,
        created_at: b.now,
        updated_at: b.now,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  },

  /** Newest first, from before the cursor's issue number. */
  list(
    db: Db,
    q: { status?: BulletinStatus; beforeIssue?: number; limit: number },
  ): Promise<BulletinSummaryRow[]> {
    return summaries(db)
      .$if(q.status !== undefined, (qb) => qb.where('b.status', '=', q.status!))
      .$if(q.beforeIssue !== undefined, (qb) => qb.where('b.issue_number', '<', q.beforeIssue!))
      .orderBy('b.issue_number', 'desc')
      .limit(q.limit)
      .execute();
  },

  async find(db: Db, id: string): Promise<BulletinRow | undefined> {
    const row = await summaries(db)
      .select(['b.generated', 'b.edited'])
      .where('b.id', '=', id)
      .executeTakeFirst();
    return row && { ...row, generated: sectionsOf(row.generated), edited: editsOf(row.edited) };
  },

  /** The row, locked FOR UPDATE until the transaction ends. */
  async lock(db: Db, id: string): Promise<LockedBulletin | undefined> {
    const row = await db
      .selectFrom('bulletins')
      .select([
        'id',
        'issue_number',
        'status',
        'version',
        'generated',
        'edited',
        'period_start',
        'period_end',
      ])
      .$narrowType<{ status: BulletinStatus }>()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return (
      row && {
        ...row,
        generated: sectionsOf(row.generated),
        edited: editsOf(row.edited),
      }
    );
  },

  /** What a queued generation checks before it computes the text. */
  generationState(
    db: Db,
    id: string,
  ): Promise<
    Pick<LockedBulletin, 'status' | 'version' | 'period_start' | 'period_end'> | undefined
  > {
    return db
      .selectFrom('bulletins')
      .select(['status', 'version', 'period_start', 'period_end'])
      .$narrowType<{ status: BulletinStatus }>()
      .where('id', '=', id)
      .executeTakeFirst();
  },

  async saveEdits(db: Db, id: string, edited: ParagraphEdits, now: Date): Promise<void> {
    await db
      .updateTable('bulletins')
      .set((eb) => ({ edited: json(edited), version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', id)
      .execute();
  },

  async publish(db: Db, id: string, by: string, now: Date): Promise<void> {
    await db
      .updateTable('bulletins')
      .set((eb) => ({
        status: 'published' satisfies BulletinStatus,
        published_by: by,
        published_at: now,
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', id)
      .execute();
  },

  /** Hands the text to a queued job: `generating`, a new version. */
  async markGenerating(db: Db, id: string, now: Date): Promise<void> {
    await db
      .updateTable('bulletins')
      .set((eb) => ({
        status: 'generating' satisfies BulletinStatus,
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', id)
      .execute();
  },

  /** Writes generated text and makes the issue a draft (a new version). */
  async saveGenerated(db: Db, id: string, generated: BulletinSection[], now: Date): Promise<void> {
    await db
      .updateTable('bulletins')
      .set((eb) => ({
        generated: json(generated),
        status: 'draft' satisfies BulletinStatus,
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', id)
      .execute();
  },

  /** `saveGenerated`, only while the issue is still `generating` at `version`; true if it was. */
  async completeGenerating(
    db: Db,
    id: string,
    version: number,
    generated: BulletinSection[],
    now: Date,
  ): Promise<boolean> {
    const result = await db
      .updateTable('bulletins')
      .set((eb) => ({
        generated: json(generated),
        status: 'draft' satisfies BulletinStatus,
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', id)
      .where('status', '=', 'generating' satisfies BulletinStatus)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },
};

// The service writes these columns from these types only (bulletin-edits.ts, the renderers).
const sectionsOf = (v: unknown): BulletinSection[] => v as BulletinSection[];
const editsOf = (v: unknown): ParagraphEdits => v as ParagraphEdits;
