import { sql, type Selectable } from 'kysely';
import type { Bulletins } from '../../database/db.generated.js';
import type { Db } from '../../database/kysely.js';
import type { ParagraphEdits } from './bulletin-edits.js';
import type { BulletinLetterhead, BulletinSection } from './bulletin-model.js';
import type { BulletinShape } from './bulletin-shape.js';
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
  | 'withdrawn_by'
  | 'withdrawn_at'
  | 'withdrawal_reason'
> & {
  /** The masthead day, YYYY-MM-DD (a `date`, read as text so no time zone shifts it). */
  issue_date: string;
  status: BulletinStatus;
  created_by_name: string;
  published_by_name: string | null;
  withdrawn_by_name: string | null;
};

export type BulletinRow = BulletinSummaryRow & {
  generated: BulletinSection[];
  edited: ParagraphEdits;
  shape: BulletinShape | null;
  letterhead: Partial<BulletinLetterhead>;
};

/** What a change needs of the row it locked. */
export type LockedBulletin = Pick<
  Row,
  'id' | 'issue_number' | 'version' | 'period_start' | 'period_end'
> & {
  status: BulletinStatus;
  generated: BulletinSection[];
  edited: ParagraphEdits;
  shape: BulletinShape | null;
  letterhead: Partial<BulletinLetterhead>;
};

/** The office-wide 快报 settings (one row; absent until first set). */
export interface BulletinSettingsRow {
  next_issue_number: number | null;
  letterhead: Partial<BulletinLetterhead>;
}

/** One entry of the 快报 trail, as written. */
export interface BulletinEventInput {
  bulletinId: string | null;
  issueNumber: number | null;
  action: string;
  actorId: string;
  actorName: string;
  reason?: string | null;
  data?: Record<string, unknown>;
  now: Date;
}

const summaries = (db: Db) =>
  db
    .selectFrom('bulletins as b')
    .innerJoin('users as cu', 'cu.id', 'b.created_by')
    .leftJoin('users as pu', 'pu.id', 'b.published_by')
    .leftJoin('users as wu', 'wu.id', 'b.withdrawn_by')
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
      'b.withdrawn_by',
      'wu.display_name as withdrawn_by_name',
      'b.withdrawn_at',
      'b.withdrawal_reason',
    ])
    .$narrowType<{ status: BulletinStatus }>();

/** JSON for a jsonb parameter: the driver would send a JS array as a Postgres array. */
const json = (
  value: BulletinSection[] | ParagraphEdits | BulletinShape | Partial<BulletinLetterhead>,
): string => JSON.stringify(value);

export const bulletinsRepository = {
  /** Serialises numbering until the transaction ends (see BULLETIN_NUMBER_LOCK). */
  async lockNumbering(db: Db, lock: number): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(${lock})`.execute(db);
  },

  /**
   * The highest stored number (a withdrawn issue's too: its number is not reused) and the end
   * of the latest issue not withdrawn (where the next default period starts).
   */
  async lastIssue(db: Db): Promise<{ issue_number: number; period_end: Date | null } | undefined> {
    const top = await db
      .selectFrom('bulletins')
      .select('issue_number')
      .orderBy('issue_number', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!top) return undefined;
    const live = await db
      .selectFrom('bulletins')
      .select('period_end')
      .where('status', '<>', 'withdrawn' satisfies BulletinStatus)
      .orderBy('issue_number', 'desc')
      .limit(1)
      .executeTakeFirst();
    return { issue_number: top.issue_number, period_end: live?.period_end ?? null };
  },

  /** The highest number stored at all, and the highest published (null when none). */
  async numberBounds(db: Db): Promise<{ stored: number | null; published: number | null }> {
    const row = await db
      .selectFrom('bulletins')
      .select((eb) => [
        eb.fn.max('issue_number').as('stored'),
        eb.fn
          .max('issue_number')
          .filterWhere('status', '=', 'published' satisfies BulletinStatus)
          .as('published'),
      ])
      .executeTakeFirstOrThrow();
    return { stored: row.stored ?? null, published: row.published ?? null };
  },

  /** The first issue (not withdrawn, not `except`) whose period overlaps [start, end). */
  async firstOverlapping(
    db: Db,
    start: Date,
    end: Date,
    except?: string,
  ): Promise<number | undefined> {
    const row = await db
      .selectFrom('bulletins')
      .select('issue_number')
      .where('period_start', '<', end)
      .where('period_end', '>', start)
      .where('status', '<>', 'withdrawn' satisfies BulletinStatus)
      .$if(except !== undefined, (qb) => qb.where('id', '<>', except!))
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
      .select(['b.generated', 'b.edited', 'b.shape', 'b.letterhead'])
      .where('b.id', '=', id)
      .executeTakeFirst();
    return (
      row && {
        ...row,
        generated: sectionsOf(row.generated),
        edited: editsOf(row.edited),
        shape: shapeOf(row.shape),
        letterhead: letterheadOf(row.letterhead),
      }
    );
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
        'shape',
        'letterhead',
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
        shape: shapeOf(row.shape),
        letterhead: letterheadOf(row.letterhead),
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

  /** The office's shaping and edits together (one version). */
  async saveShape(
    db: Db,
    id: string,
    shape: BulletinShape,
    edited: ParagraphEdits,
    now: Date,
  ): Promise<void> {
    await db
      .updateTable('bulletins')
      .set((eb) => ({
        shape: json(shape),
        edited: json(edited),
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', id)
      .execute();
  },

  async saveLetterhead(
    db: Db,
    id: string,
    letterhead: Partial<BulletinLetterhead>,
    now: Date,
  ): Promise<void> {
    await db
      .updateTable('bulletins')
      .set((eb) => ({
        letterhead: json(letterhead),
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', id)
      .execute();
  },

  /** A new period (and masthead date); the version moves with the regeneration that follows. */
  async setPeriod(
    db: Db,
    id: string,
    p: { start: Date; end: Date; issueDate?: string },
  ): Promise<void> {
    await db
      .updateTable('bulletins')
      .set({
        period_start: p.start,
        period_end: p.end,
        ...(p.issueDate !== undefined ? { issue_date: p.issueDate } : {}),
      })
      .where('id', '=', id)
      .execute();
  },

  async withdraw(db: Db, id: string, by: string, reason: string, now: Date): Promise<void> {
    await db
      .updateTable('bulletins')
      .set((eb) => ({
        status: 'withdrawn' satisfies BulletinStatus,
        withdrawn_by: by,
        withdrawn_at: now,
        withdrawal_reason: reason,
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', id)
      .execute();
  },

  async delete(db: Db, id: string): Promise<void> {
    await db.deleteFrom('bulletins').where('id', '=', id).execute();
  },

  /** Whether an issue with a higher number than `issueNumber` is stored. */
  async hasLater(db: Db, issueNumber: number): Promise<boolean> {
    const row = await db
      .selectFrom('bulletins')
      .select('id')
      .where('issue_number', '>', issueNumber)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  },

  async settings(db: Db): Promise<BulletinSettingsRow> {
    const row = await db
      .selectFrom('bulletin_settings')
      .select(['next_issue_number', 'letterhead'])
      .executeTakeFirst();
    return {
      next_issue_number: row?.next_issue_number ?? null,
      letterhead: letterheadOf(row?.letterhead ?? {}),
    };
  },

  async saveSettings(
    db: Db,
    change: { nextIssueNumber?: number; letterhead?: Partial<BulletinLetterhead> },
    by: string,
    now: Date,
  ): Promise<void> {
    const values = {
      ...(change.nextIssueNumber !== undefined
        ? { next_issue_number: change.nextIssueNumber }
        : {}),
      ...(change.letterhead !== undefined ? { letterhead: json(change.letterhead) } : {}),
      updated_by: by,
      updated_at: now,
    };
    await db
      .insertInto('bulletin_settings')
      .values({ id: true, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  },

  async recordEvent(db: Db, e: BulletinEventInput): Promise<void> {
    await db
      .insertInto('bulletin_events')
      .values({
        bulletin_id: e.bulletinId,
        issue_number: e.issueNumber,
        action: e.action,
        actor_id: e.actorId,
        actor_name: e.actorName,
        reason: e.reason ?? null,
        data: JSON.stringify(e.data ?? {}),
        created_at: e.now,
      })
      .execute();
  },

  /** The office-wide trail (next number, letterhead defaults, withdrawals), newest first. */
  settingsEvents(db: Db, limit: number) {
    return db
      .selectFrom('bulletin_events')
      .select([
        'id',
        'bulletin_id',
        'issue_number',
        'action',
        'actor_name',
        'reason',
        'data',
        'created_at',
      ])
      .where('action', 'in', ['next_issue_number', 'letterhead_defaults', 'withdraw'])
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  },

  async publish(
    db: Db,
    id: string,
    by: string,
    letterhead: BulletinLetterhead,
    now: Date,
  ): Promise<void> {
    await db
      .updateTable('bulletins')
      .set((eb) => ({
        letterhead: json(letterhead),
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
const shapeOf = (v: unknown): BulletinShape | null => (v ?? null) as BulletinShape | null;
const letterheadOf = (v: unknown): Partial<BulletinLetterhead> =>
  (v ?? {}) as Partial<BulletinLetterhead>;
