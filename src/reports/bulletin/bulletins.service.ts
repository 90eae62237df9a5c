import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '../../common/auth/principal.js';
import { Clock } from '../../common/clock.js';
import { DomainError, invalidField } from '../../common/errors/domain-error.js';
import { decodeCursor, toPage } from '../../common/http/pagination.js';
import { versionConflict } from '../../common/http/versioning.js';
import { dbOf, type Db } from '../../database/kysely.js';
import { isUniqueViolation } from '../../database/pg-errors.js';
import { TransactionRunner } from '../../database/transaction.js';
import { InfoBulletinService } from '../../info-reports/info-bulletin.service.js';
import { ReportJobs } from '../../jobs/report-jobs.service.js';
import { BULLETIN_CONFIG, letterheadOf } from '../report-config.js';
import {
  bulletinGenerating,
  bulletinPeriodOverlap,
  bulletinNotFound,
  bulletinPublished,
  paragraphNotFound,
  ReportErrorCode,
} from '../report-errors.js';
import { isCalendarDate, shanghaiDate } from '../shanghai-time.js';
import { applyEdits, generatedTextOf, normaliseEditText, withEdit } from './bulletin-edits.js';
import { readClosedTaskCounts, readInspectionFacts } from './bulletin-facts.reader.js';
import type { BulletinConfig, BulletinDocument, BulletinSection } from './bulletin-model.js';
import { resolveBulletinPeriod } from './bulletin-period.js';
import {
  bulletinsRepository as bulletins,
  type BulletinRow,
  type BulletinSummaryRow,
  type LockedBulletin,
} from './bulletins.repository.js';
import { renderCommandDispatch } from './command-dispatch.js';
import { renderDocx } from './docx-renderer.js';
import type {
  BulletinDto,
  BulletinPageDto,
  BulletinSummaryDto,
  CreateBulletinDto,
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

function toSummary(r: BulletinSummaryRow): BulletinSummaryDto {
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
    private readonly info: InfoBulletinService,
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
        const db = dbOf(em);
        await bulletins.lockNumbering(db, BULLETIN_NUMBER_LOCK);
        const last = await bulletins.lastIssue(db);
        // Read after the lock: a draft that waited must not end before the one it waited for.
        const now = this.clock.now();
        const { start, end } = resolveBulletinPeriod(dto, last?.period_end ?? null, now);
        // Under the numbering lock, so two drafts of one period cannot both pass.
        const overlapping = await bulletins.firstOverlapping(db, start, end);
        if (overlapping !== undefined) {
          throw bulletinPeriodOverlap(
            overlapping,
            dto.periodStart !== undefined || dto.periodEnd === undefined
              ? 'periodStart'
              : 'periodEnd',
          );
        }
        const queued = this.generatesLater(start, end);
        const generated = queued ? [] : await this.generate(db, start, end);
        const id = await bulletins.insert(db, {
          issueNumber: last ? last.issue_number + 1 : this.config.firstIssueNumber,
          issueDate: dto.issueDate ?? shanghaiDate(now),
          start,
          end,
          status: queued ? 'generating' : 'draft',
          generated,
          createdBy: p.id,
          now,
        });
        // As committed: the job may finish before this request answers, and the answer (202
        // and `generating`, or 201 and the draft) must say what this request did.
        return { bulletin: await this.read(db, id), queued };
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
    let beforeIssue: number | undefined;
    if (q.cursor) {
      const [issueNumber] = decodeCursor(q.cursor, 1);
      if (typeof issueNumber !== 'number') {
        throw invalidField('cursor', 'cursor is not valid for this list', 'isCursor');
      }
      beforeIssue = issueNumber;
    }
    const rows = await bulletins.list(dbOf(this.ds.manager), {
      status: q.status,
      beforeIssue,
      limit: limit + 1,
    });
    const page = toPage(rows, limit, (r) => [r.issue_number]);
    return { items: page.items.map(toSummary), nextCursor: page.nextCursor };
  }

  get(id: string): Promise<BulletinDto> {
    return this.read(dbOf(this.ds.manager), id);
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
  editParagraph(id: string, key: string, text: string, version: number): Promise<BulletinDto> {
    const normalised = normaliseEditText(text);
    if (normalised === '') throw invalidField('text', 'text must not be empty', 'isNotEmpty');
    return this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      const b = await this.lockDraft(db, id, version);
      const generatedText = generatedTextOf(b.generated, key);
      if (generatedText === undefined) throw paragraphNotFound(key);
      const edited = withEdit(b.edited, key, normalised, generatedText);
      await bulletins.saveEdits(db, id, edited, this.clock.now());
      return this.read(db, id);
    });
  }

  /** Freezes the issue and records who published it and when. */
  publish(p: Principal, id: string, version: number): Promise<BulletinDto> {
    return this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      await this.lockDraft(db, id, version);
      await bulletins.publish(db, id, p.id, this.clock.now());
      const published = await this.read(db, id);
      await this.info.markPublished(db, published, p, this.clock.now()); // 信息报送 → 已刊发
      return published;
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
      const db = dbOf(em);
      const b = await this.lockForChange(db, id, version, { allowGenerating: true });
      const now = this.clock.now();
      const later = this.generatesLater(b.period_start, b.period_end);
      if (later) {
        await bulletins.markGenerating(db, id, now);
      } else {
        const generated = await this.generate(db, b.period_start, b.period_end);
        await bulletins.saveGenerated(db, id, generated, now);
      }
      return { bulletin: await this.read(db, id), queued: later };
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
    // Outside a transaction: each statement stands alone, the conditional UPDATE decides.
    const db = dbOf(this.ds.manager);
    const row = await bulletins.generationState(db, id);
    if (!row || row.status !== 'generating' || row.version !== version) return 'skipped';
    const generated = await this.tx.withTransaction(
      (em) => this.generate(dbOf(em), row.period_start, row.period_end),
      'REPEATABLE READ',
    );
    const done = await bulletins.completeGenerating(db, id, version, generated, this.clock.now());
    return done ? 'generated' : 'skipped';
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
  private async generate(db: Db, start: Date, end: Date): Promise<BulletinSection[]> {
    const inspections = await readInspectionFacts(db, start, end);
    const closed = await readClosedTaskCounts(db, start, end);
    // 信息报送: adopted items under their 栏目 (src/reports/bulletin/info-sections.ts).
    return this.info.compose(
      db,
      [
        renderCommandDispatch(inspections),
        renderComprehensiveRectification(closed, { featuredUnits: this.config.featuredUnits }) ?? {
          key: 'comprehensive_rectification',
          heading: '简讯',
          paragraphs: [],
        },
      ],
      closed,
      this.config.featuredUnits,
    );
  }

  private async read(db: Db, id: string): Promise<BulletinDto> {
    const row = await bulletins.find(db, id);
    if (!row) throw bulletinNotFound();
    return toDto(row);
  }

  /**
   * Locks a draft for a change: 404 when missing, 409 BULLETIN_PUBLISHED once published (it
   * is frozen whatever version the client holds), 409 BULLETIN_GENERATING while a job writes
   * its text, 409 VERSION_CONFLICT on a stale version.
   */
  private lockDraft(db: Db, id: string, version: number): Promise<LockedBulletin> {
    return this.lockForChange(db, id, version, { allowGenerating: false });
  }

  private async lockForChange(
    db: Db,
    id: string,
    version: number,
    opts: { allowGenerating: boolean },
  ): Promise<LockedBulletin> {
    const row = await bulletins.lock(db, id);
    if (!row) throw bulletinNotFound();
    if (row.status === 'published') throw bulletinPublished(row.issue_number);
    if (row.status === 'generating' && !opts.allowGenerating) {
      throw bulletinGenerating(row.issue_number);
    }
    if (row.version !== version) throw versionConflict('快报', row.version);
    return row;
  }
}
