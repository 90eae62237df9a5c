import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../../common/auth/principal.js';
import { Clock } from '../../common/clock.js';
import { DomainError, invalidField } from '../../common/errors/domain-error.js';
import { decodeCursor, toPage } from '../../common/http/pagination.js';
import { isUniqueViolation } from '../../database/pg-errors.js';
import { SqlWhere } from '../../database/sql-where.js';
import { TransactionRunner } from '../../database/transaction.js';
import { ReportJobs } from '../../jobs/report-jobs.service.js';
import { BULLETIN_CONFIG, letterheadOf } from '../report-config.js';
import {
  bulletinGenerating,
  bulletinPeriodOverlap,
  bulletinNotFound,
  bulletinPublished,
  paragraphNotFound,
  ReportErrorCode,
  versionConflict,
} from '../report-errors.js';
import { isCalendarDate, shanghaiDate } from '../shanghai-time.js';
import {
  applyEdits,
  generatedTextOf,
  normaliseEditText,
  withEdit,
  type ParagraphEdits,
} from './bulletin-edits.js';
import { readClosedTaskCounts, readInspectionFacts } from './bulletin-facts.reader.js';
import type { BulletinConfig, BulletinDocument, BulletinSection } from './bulletin-model.js';
import { resolveBulletinPeriod } from './bulletin-period.js';
import type { BulletinStatus } from './bulletin.entity.js';
import { renderCommandDispatch } from './command-dispatch.js';
import { renderDocx } from './docx-renderer.js';
import type {
  BulletinDto,
  BulletinPageDto,
  BulletinSummaryDto,
  CreateBulletinDto,
  EditParagraphDto,
  ListBulletinsQuery,
} from './dto/bulletin.dto.js';
import { renderMarkdown } from './markdown-renderer.js';
import { renderComprehensiveRectification } from './rectification-brief.js';

/**
 * Serialises numbering: whoever holds it reads the last issue and inserts the next, so two
 * concurrent drafts get consecutive numbers. The unique index on issue_number is the backstop.
 */
export const BULLETIN_NUMBER_LOCK = 72_671_672;

const DAY_MS = 86_400_000;

/** What a queued generation found: it wrote the text, or the issue had moved on. */
export type GenerationOutcome = 'generated' | 'skipped';

interface SummaryRow {
  id: string;
  issue_number: number;
  issue_date: string;
  period_start: Date;
  period_end: Date;
  status: BulletinStatus;
  version: number;
  created_by: string;
  created_by_name: string;
  created_at: Date;
  updated_at: Date;
  published_by: string | null;
  published_by_name: string | null;
  published_at: Date | null;
}

interface BulletinRow extends SummaryRow {
  generated: BulletinSection[];
  edited: ParagraphEdits;
}

const SUMMARY_COLUMNS = `
  b.id, b.issue_number, to_char(b.issue_date, 'YYYY-MM-DD') AS issue_date, b.period_start,
  b.period_end, b.status, b.version, b.created_by, cu.display_name AS created_by_name,
  b.created_at, b.updated_at, b.published_by, pu.display_name AS published_by_name, b.published_at`;

const FROM = `
  FROM bulletins b
  JOIN users cu ON cu.id = b.created_by
  LEFT JOIN users pu ON pu.id = b.published_by`;

function toSummary(r: SummaryRow): BulletinSummaryDto {
  return {
    id: r.id,
    issueNumber: r.issue_number,
    issueDate: r.issue_date,
    periodStart: r.period_start.toISOString(),
    periodEnd: r.period_end.toISOString(),
    status: r.status,
    version: r.version,
    createdBy: { id: r.created_by, name: r.created_by_name },
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    publishedBy:
      r.published_by === null ? null : { id: r.published_by, name: r.published_by_name ?? '' },
    publishedAt: r.published_at?.toISOString() ?? null,
  };
}

function toDto(r: BulletinRow): BulletinDto {
  return { ...toSummary(r), ...applyEdits(r.generated, r.edited) };
}

/**
 * 工作快报: draft the next issue from the period's inspections and closed tasks, let the office
 * replace paragraphs, publish (which freezes it), render it as Markdown or Word. Every change is
 * one transaction under the row lock, with the optimistic version checked.
 *
 * Long periods. A period longer than `asyncGenerationDays` (config/bulletin.json) is not
 * generated inside the request: create and regenerate commit the issue as `generating` (no
 * sections for a new issue; a regenerated one keeps its previous text until replaced), queue a
 * job carrying the issue's version, and return at once (202). The job calls
 * `completeGeneration`, which writes the text and makes the issue a `draft` only if it is
 * still `generating` at that version — so a repeated job does nothing. While `generating`,
 * edits and publication are 409 BULLETIN_GENERATING. When Redis is unreachable (checked before
 * anything is written) or the enqueue fails after commit, the text is generated inline instead,
 * as for a short period: slower, never stuck. If a job fails for good, `regenerate` on the
 * `generating` issue queues it again.
 */
@Injectable()
export class BulletinsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    @Inject(BULLETIN_CONFIG) private readonly config: BulletinConfig,
    private readonly jobs: ReportJobs,
  ) {}

  /**
   * Drafts the next issue: number, period and text, all under the numbering lock. A long period
   * comes back `generating`, its text to follow from a queued job (see the class comment).
   */
  async create(p: Principal, dto: CreateBulletinDto): Promise<BulletinDto> {
    if (dto.issueDate !== undefined && !isCalendarDate(dto.issueDate)) {
      throw invalidField('issueDate', 'issueDate must be a real date YYYY-MM-DD', 'isDate');
    }
    let created: { bulletin: BulletinDto; queued: boolean };
    try {
      created = await this.tx.withTransaction(async (em) => {
        await em.query('SELECT pg_advisory_xact_lock($1)', [BULLETIN_NUMBER_LOCK]);
        const [last] = (await em.query(
          'SELECT issue_number, period_end FROM bulletins ORDER BY issue_number DESC LIMIT 1',
        )) as { issue_number: number; period_end: Date }[];
        // Read after the lock: a draft that waited must not end before the one it waited for.
        const now = this.clock.now();
        const { start, end } = resolveBulletinPeriod(dto, last?.period_end ?? null, now);
        // Under the numbering lock, so two drafts of one period cannot both pass.
        const [overlapping] = (await em.query(
          `SELECT issue_number FROM bulletins WHERE period_start < $2 AND period_end > $1
            ORDER BY issue_number LIMIT 1`,
          [start, end],
        )) as { issue_number: number }[];
        if (overlapping) {
          throw bulletinPeriodOverlap(
            overlapping.issue_number,
            dto.periodStart !== undefined || dto.periodEnd === undefined
              ? 'periodStart'
              : 'periodEnd',
          );
        }
        const queued = this.generatesLater(start, end);
        const generated = queued ? [] : await this.generate(em, start, end);
        const [row] = (await em.query(
          `INSERT INTO bulletins (issue_number, issue_date, period_start, period_end, status, generated,
                                  edited, created_by, created_at, updated_at, version)
           VALUES ($1, $2, $3, $4, $5, $6, '{}', $7, $8, $8, 1) RETURNING id`,
          [
            last ? last.issue_number + 1 : this.config.firstIssueNumber,
            dto.issueDate ?? shanghaiDate(now),
            start,
            end,
            queued ? 'generating' : 'draft',
            JSON.stringify(generated),
            p.id,
            now,
          ],
        )) as { id: string }[];
        // As committed: the job may finish before this request answers, and the answer (202
        // and `generating`, or 201 and the draft) must say what this request did.
        return { bulletin: await this.read(em, row.id), queued };
      });
    } catch (e) {
      if (isUniqueViolation(e, 'uq_bulletins_issue_number')) {
        throw new DomainError(
          'conflict',
          ReportErrorCode.ISSUE_NUMBER_TAKEN,
          '期号已被占用，请重试',
        );
      }
      throw e;
    }
    const { bulletin, queued } = created;
    if (!queued || (await this.queueGeneration(bulletin.id, bulletin.version))) return bulletin;
    return this.get(bulletin.id);
  }

  async list(q: ListBulletinsQuery): Promise<BulletinPageDto> {
    const limit = q.limit ?? 50;
    const where = new SqlWhere();
    if (q.status) where.add('b.status = ?', q.status);
    if (q.cursor) {
      const [issueNumber] = decodeCursor(q.cursor, 1);
      if (typeof issueNumber !== 'number') {
        throw invalidField('cursor', 'cursor is not valid for this list', 'isCursor');
      }
      where.add('b.issue_number < ?', issueNumber);
    }
    const rows = (await this.ds.query(
      `SELECT ${SUMMARY_COLUMNS} ${FROM} ${where} ORDER BY b.issue_number DESC LIMIT ${limit + 1}`,
      where.params,
    )) as SummaryRow[];
    const page = toPage(rows, limit, (r) => [r.issue_number]);
    return { items: page.items.map(toSummary), nextCursor: page.nextCursor };
  }

  get(id: string): Promise<BulletinDto> {
    return this.read(this.ds.manager, id);
  }

  /** The issue as the renderers take it: what prints, edits applied. */
  async document(id: string): Promise<BulletinDocument> {
    const b = await this.get(id);
    // A new issue has no text yet, a regenerated one only the text being replaced.
    if (b.status === 'generating') throw bulletinGenerating(b.issueNumber);
    return {
      letterhead: letterheadOf(this.config),
      issueNumber: b.issueNumber,
      date: b.issueDate,
      sections: b.sections.map((s) => ({
        key: s.key,
        heading: s.heading,
        paragraphs: s.paragraphs.map((para) => ({ key: para.key, text: para.text })),
      })),
    };
  }

  async markdown(id: string): Promise<{ issueNumber: number; text: string }> {
    const doc = await this.document(id);
    return { issueNumber: doc.issueNumber, text: renderMarkdown(doc) };
  }

  async docx(id: string): Promise<{ issueNumber: number; buffer: Buffer }> {
    const doc = await this.document(id);
    return { issueNumber: doc.issueNumber, buffer: await renderDocx(doc) };
  }

  /** Replaces one generated paragraph; the generated text is kept beside the edit. */
  editParagraph(id: string, key: string, dto: EditParagraphDto): Promise<BulletinDto> {
    const text = normaliseEditText(dto.text);
    if (text === '') throw invalidField('text', 'text must not be empty', 'isNotEmpty');
    return this.tx.withTransaction(async (em) => {
      const b = await this.lockDraft(em, id, dto.version);
      const generatedText = generatedTextOf(b.generated, key);
      if (generatedText === undefined) throw paragraphNotFound(key);
      const edited = withEdit(b.edited, key, text, generatedText);
      await em.query(
        'UPDATE bulletins SET edited = $2, version = version + 1, updated_at = $3 WHERE id = $1',
        [id, JSON.stringify(edited), this.clock.now()],
      );
      return this.read(em, id);
    });
  }

  /** Freezes the issue and records who published it and when. */
  publish(p: Principal, id: string, version: number): Promise<BulletinDto> {
    return this.tx.withTransaction(async (em) => {
      await this.lockDraft(em, id, version);
      const now = this.clock.now();
      await em.query(
        `UPDATE bulletins SET status = 'published', published_by = $2, published_at = $3,
                              version = version + 1, updated_at = $3
          WHERE id = $1`,
        [id, p.id, now],
      );
      return this.read(em, id);
    });
  }

  /**
   * Writes a draft's text again from the data as it is now; edits are kept. A long period goes
   * to the queue as for `create`. Also accepted on a `generating` issue (with its version), to
   * queue again a generation whose job was lost or failed for good; the older job, if it still
   * runs, finds the version moved on and does nothing.
   */
  async regenerate(id: string, version: number): Promise<BulletinDto> {
    const { bulletin, queued } = await this.tx.withTransaction(async (em) => {
      const b = await this.lockForChange(em, id, version, { allowGenerating: true });
      const now = this.clock.now();
      const later = this.generatesLater(b.period_start, b.period_end);
      if (later) {
        await em.query(
          `UPDATE bulletins SET status = 'generating', version = version + 1, updated_at = $2
            WHERE id = $1`,
          [id, now],
        );
      } else {
        const generated = await this.generate(em, b.period_start, b.period_end);
        await em.query(
          `UPDATE bulletins SET generated = $2, status = 'draft', version = version + 1,
                                updated_at = $3
            WHERE id = $1`,
          [id, JSON.stringify(generated), now],
        );
      }
      return { bulletin: await this.read(em, id), queued: later };
    });
    if (!queued || (await this.queueGeneration(id, bulletin.version))) return bulletin;
    return this.get(id);
  }

  /**
   * The queued half of a long generation (called by the reports queue's processor): writes the
   * text of an issue that is `generating` at `version` and makes it a draft. Anything else — the
   * issue gone, already generated, or regenerated since (another version) — is 'skipped', so
   * running a job twice changes nothing. The text is computed without holding the row (in one
   * snapshot), so nothing waits on a long generation; the conditional UPDATE decides.
   */
  async completeGeneration(id: string, version: number): Promise<GenerationOutcome> {
    const [row] = (await this.ds.query(
      'SELECT status, version, period_start, period_end FROM bulletins WHERE id = $1',
      [id],
    )) as Pick<BulletinRow, 'status' | 'version' | 'period_start' | 'period_end'>[];
    if (!row || row.status !== 'generating' || row.version !== version) return 'skipped';
    const generated = await this.tx.withTransaction(
      (em) => this.generate(em, row.period_start, row.period_end),
      'REPEATABLE READ',
    );
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [, count] = (await this.ds.query(
      `UPDATE bulletins SET generated = $3, status = 'draft', version = version + 1, updated_at = $4
        WHERE id = $1 AND status = 'generating' AND version = $2`,
      [id, version, JSON.stringify(generated), this.clock.now()],
    )) as [unknown[], number];
    return count > 0 ? 'generated' : 'skipped';
  }

  /** Whether [start, end) is long enough to generate in a job, and a job can be queued now. */
  private generatesLater(start: Date, end: Date): boolean {
    const days = (end.getTime() - start.getTime()) / DAY_MS;
    return days > this.config.asyncGenerationDays && this.jobs.canEnqueue();
  }

  /**
   * Queues the generation of a committed `generating` issue and returns true; if that fails
   * (Redis went away since it was checked), generates it here and now, rather than leave it
   * waiting for a job that will not come, and returns false.
   */
  private async queueGeneration(id: string, version: number): Promise<boolean> {
    if (await this.jobs.generateBulletin(id, version)) return true;
    await this.completeGeneration(id, version);
    return false;
  }

  /** 指挥调度 and 简讯/综合整治 for [start, end), from SQL aggregates only. */
  private async generate(em: EntityManager, start: Date, end: Date): Promise<BulletinSection[]> {
    const inspections = await readInspectionFacts(em, start, end);
    const closed = await readClosedTaskCounts(em, start, end);
    return [
      renderCommandDispatch(inspections),
      renderComprehensiveRectification(closed, { featuredUnits: this.config.featuredUnits }) ?? {
        key: 'comprehensive_rectification',
        heading: '简讯',
        paragraphs: [],
      },
    ];
  }

  private async read(em: EntityManager, id: string): Promise<BulletinDto> {
    const [row] = (await em.query(
      `SELECT ${SUMMARY_COLUMNS}, b.generated, b.edited ${FROM} WHERE b.id = $1`,
      [id],
    )) as BulletinRow[];
    if (!row) throw bulletinNotFound();
    return toDto(row);
  }

  /**
   * Locks a draft for a change: 404 when missing, 409 BULLETIN_PUBLISHED once published (it
   * is frozen whatever version the client holds), 409 BULLETIN_GENERATING while a job writes
   * its text, 409 VERSION_CONFLICT on a stale version.
   */
  private lockDraft(em: EntityManager, id: string, version: number): Promise<BulletinRow> {
    return this.lockForChange(em, id, version, { allowGenerating: false });
  }

  private async lockForChange(
    em: EntityManager,
    id: string,
    version: number,
    opts: { allowGenerating: boolean },
  ): Promise<BulletinRow> {
    const [row] = (await em.query(
      `SELECT id, issue_number, status, version, generated, edited, period_start, period_end
         FROM bulletins WHERE id = $1 FOR UPDATE`,
      [id],
    )) as BulletinRow[];
    if (!row) throw bulletinNotFound();
    if (row.status === 'published') throw bulletinPublished(row.issue_number);
    if (row.status === 'generating' && !opts.allowGenerating) {
      throw bulletinGenerating(row.issue_number);
    }
    if (row.version !== version) throw versionConflict(row.version);
    return row;
  }
}
