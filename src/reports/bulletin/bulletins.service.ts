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
import { BULLETIN_CONFIG, changeLetterhead, mergeLetterhead } from '../report-config.js';
import {
  bulletinGenerating,
  bulletinPeriodOverlap,
  bulletinNotFound,
  bulletinPublished,
  paragraphNotFound,
  ReportErrorCode,
} from '../report-errors.js';
import { isCalendarDate, shanghaiDate } from '../shanghai-time.js';
import { generatedTextOf, normaliseEditText, withEdit } from './bulletin-edits.js';
import { bulletinWithdrawn } from './bulletin-errors.js';
import { readClosedTaskCounts, readInspectionFacts } from './bulletin-facts.reader.js';
import type {
  BulletinConfig,
  BulletinDocument,
  BulletinLetterhead,
  BulletinSection,
} from './bulletin-model.js';
import { resolveBulletinPeriod, resolvePeriodChange } from './bulletin-period.js';
import { nextIssueNumber } from './bulletin-numbering.js';
import {
  addParagraph,
  addSection,
  arrange,
  asSectionKey,
  isOfficeKey,
  layoutOf,
  newOfficeKey,
  normaliseHeading,
  removeParagraph,
  removeSection,
  sectionOf,
  setOfficeText,
  shapeBulletin,
  type ArrangedSection,
  type BulletinShape,
} from './bulletin-shape.js';
import {
  bulletinsRepository as bulletins,
  type BulletinRow,
  type BulletinSummaryRow,
  type LockedBulletin,
} from './bulletins.repository.js';
import { renderCommandDispatch } from './command-dispatch.js';
import type {
  BulletinDto,
  BulletinPageDto,
  BulletinSummaryDto,
  ChangePeriodDto,
  CreateBulletinDto,
  LetterheadChangeDto,
  ListBulletinsQuery,
  WithdrawalResultDto,
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
    withdrawal:
      r.status === 'withdrawn' && r.withdrawn_at && r.withdrawn_by
        ? {
            by: { id: r.withdrawn_by, name: r.withdrawn_by_name ?? '' },
            at: r.withdrawn_at.toISOString(),
            reason: r.withdrawal_reason ?? '',
          }
        : null,
  };
}

function toDto(r: BulletinRow, defaults: BulletinLetterhead): BulletinDto {
  // A published issue stored its whole letterhead when it was published.
  const letterhead = { ...defaults, ...r.letterhead };
  return {
    ...toSummary(r),
    ...shapeBulletin(r.generated, r.edited, r.shape),
    letterhead,
    letterheadOverrides: r.status === 'published' ? [] : Object.keys(r.letterhead).sort(),
  };
}

/** The text of a paragraph or heading as the office typed it; 400 naming `field` when empty. */
function officeText(text: string, field: string): string {
  const normalised = normaliseEditText(text);
  if (normalised === '') throw invalidField(field, `${field} must not be empty`, 'isNotEmpty');
  return normalised;
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
        const settings = await bulletins.settings(db);
        const issueNumber = nextIssueNumber(
          last?.issue_number ?? null,
          settings.next_issue_number,
          this.config.firstIssueNumber,
        );
        const id = await bulletins.insert(db, {
          issueNumber,
          issueDate: dto.issueDate ?? shanghaiDate(now),
          start,
          end,
          status: queued ? 'generating' : 'draft',
          generated,
          createdBy: p.id,
          now,
        });
        await this.record(db, p, id, issueNumber, 'create', {
          periodStart: start.toISOString(),
          periodEnd: end.toISOString(),
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

  /** The issue as the renderers take it: what prints, in the office's order, edits applied. */
  async document(id: string): Promise<BulletinDocument> {
    const b = await this.get(id);
    // A new issue has no text yet, a regenerated one only the text being replaced.
    if (b.status === 'generating') throw bulletinGenerating(b.issueNumber);
    return {
      letterhead: b.letterhead,
      issueNumber: b.issueNumber,
      date: b.issueDate,
      sections: b.sections.map((s) => ({
        key: asSectionKey(s.key),
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
    // The Word renderer (and the docx library, ~14 MB resident) loads on the first download.
    const { renderDocx } = await import('./docx-renderer.js');
    return { issueNumber: doc.issueNumber, buffer: await renderDocx(doc) };
  }

  /**
   * Sets the text of a paragraph: a generated one is replaced (its generated text kept beside
   * the edit), the office's own is rewritten.
   */
  editParagraph(
    p: Principal,
    id: string,
    key: string,
    text: string,
    version: number,
  ): Promise<BulletinDto> {
    const normalised = officeText(text, 'text');
    return this.shape(p, id, version, 'edit_paragraph', { key }, (layout, edits, generated) => {
      if (isOfficeKey(key)) return { layout: setOfficeText(layout, key, normalised), edits };
      const generatedText = generatedTextOf(generated, key);
      if (generatedText === undefined || !sectionOf(layout, key)) throw paragraphNotFound(key);
      return { layout, edits: withEdit(edits, key, normalised, generatedText) };
    });
  }

  /** Adds a paragraph of the office's to a section (after `afterKey`; null: first; absent: last). */
  addParagraph(
    p: Principal,
    id: string,
    body: { sectionKey: string; afterKey?: string | null; text: string },
    version: number,
  ): Promise<BulletinDto> {
    const text = officeText(body.text, 'text');
    const key = newOfficeKey();
    return this.shape(
      p,
      id,
      version,
      'add_paragraph',
      { key, sectionKey: body.sectionKey },
      (layout, edits) => ({
        layout: addParagraph(layout, { ...body, key, text }),
        edits,
      }),
    );
  }

  /** Deletes a paragraph; a generated one stays deleted when the issue is regenerated. */
  deleteParagraph(p: Principal, id: string, key: string, version: number): Promise<BulletinDto> {
    return this.shape(p, id, version, 'delete_paragraph', { key }, (layout, edits) => {
      const next = { ...edits };
      delete next[key];
      return { layout: removeParagraph(layout, key), edits: next };
    });
  }

  /** Adds an empty section of the office's (喜报, 专题部署 …) after `afterKey` (null: first; absent: last). */
  addSection(
    p: Principal,
    id: string,
    body: { heading: string; afterKey?: string | null },
    version: number,
  ): Promise<BulletinDto> {
    const heading = normaliseHeading(officeText(body.heading, 'heading'));
    if (heading === '') throw invalidField('heading', 'heading must not be empty', 'isNotEmpty');
    const key = newOfficeKey();
    return this.shape(p, id, version, 'add_section', { key, heading }, (layout, edits) => ({
      layout: addSection(layout, { key, heading, afterKey: body.afterKey }),
      edits,
    }));
  }

  /** Deletes a section with its paragraphs. */
  deleteSection(p: Principal, id: string, key: string, version: number): Promise<BulletinDto> {
    return this.shape(p, id, version, 'delete_section', { key }, (layout, edits) => {
      const section = layout.sections.find((s) => s.key === key);
      const next = { ...edits };
      for (const k of section?.paragraphs ?? []) delete next[k];
      return { layout: removeSection(layout, key), edits: next };
    });
  }

  /** Puts sections and paragraphs in the order sent (and renames headings sent). */
  arrange(
    p: Principal,
    id: string,
    order: ArrangedSection[],
    version: number,
  ): Promise<BulletinDto> {
    const cleaned = order.map((s, i) => {
      if (s.heading === undefined) return s;
      const heading = normaliseHeading(normaliseEditText(s.heading));
      if (heading === '') {
        throw invalidField(`sections.${i}.heading`, 'heading must not be empty', 'isNotEmpty');
      }
      return { ...s, heading };
    });
    return this.shape(p, id, version, 'arrange', {}, (layout, edits) => ({
      layout: arrange(layout, cleaned),
      edits,
    }));
  }

  /** Changes the draft's letterhead and footer over the defaults (null: back to the default). */
  editLetterhead(
    p: Principal,
    id: string,
    changes: LetterheadChangeDto,
    version: number,
  ): Promise<BulletinDto> {
    return this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      const b = await this.lockDraft(db, id, version);
      const defaults = await this.defaultLetterhead(db);
      const next = changeLetterhead(b.letterhead, changes, defaults);
      await bulletins.saveLetterhead(db, id, next, this.clock.now());
      await this.record(db, p, id, b.issue_number, 'letterhead', { changes });
      return this.read(db, id);
    });
  }

  /** Freezes the issue, with its letterhead as it is now, and records who published it and when. */
  publish(p: Principal, id: string, version: number): Promise<BulletinDto> {
    return this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      const b = await this.lockDraft(db, id, version);
      const letterhead = mergeLetterhead(
        this.config,
        (await bulletins.settings(db)).letterhead,
        b.letterhead,
      );
      await bulletins.publish(db, id, p.id, letterhead, this.clock.now());
      await this.record(db, p, id, b.issue_number, 'publish', {});
      const published = await this.read(db, id);
      await this.info.markPublished(db, published, p, this.clock.now()); // 信息报送 → 已刊发
      return published;
    });
  }

  /**
   * Withdraws a draft. The last issue is deleted, so its number goes to the next draft; an
   * earlier one is kept as `withdrawn` with the reason, and its number is not used again.
   */
  withdraw(
    p: Principal,
    id: string,
    reason: string,
    version: number,
  ): Promise<WithdrawalResultDto> {
    const why = officeText(reason, 'reason');
    return this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      // Under the numbering lock: a draft created meanwhile would otherwise take a number
      // this withdrawal is about to free, or be the later issue it did not see.
      await bulletins.lockNumbering(db, BULLETIN_NUMBER_LOCK);
      const b = await this.lockForChange(db, id, version, { allowGenerating: true });
      const now = this.clock.now();
      const freed = !(await bulletins.hasLater(db, b.issue_number));
      await this.record(db, p, id, b.issue_number, 'withdraw', { numberFreed: freed }, why);
      if (freed) {
        await bulletins.delete(db, id);
        return { issueNumber: b.issue_number, numberFreed: true, bulletin: null };
      }
      await bulletins.withdraw(db, id, p.id, why, now);
      const row = await bulletins.find(db, id);
      return {
        issueNumber: b.issue_number,
        numberFreed: false,
        bulletin: row ? toSummary(row) : null,
      };
    });
  }

  /**
   * Changes a draft's period (and masthead date) and writes its text again for it, keeping the
   * office's shaping and edits (see regenerate).
   */
  async changePeriod(
    p: Principal,
    id: string,
    dto: ChangePeriodDto,
    version: number,
  ): Promise<BulletinDto> {
    if (dto.issueDate !== undefined && !isCalendarDate(dto.issueDate)) {
      throw invalidField('issueDate', 'issueDate must be a real date YYYY-MM-DD', 'isDate');
    }
    const { bulletin, queued } = await this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      await bulletins.lockNumbering(db, BULLETIN_NUMBER_LOCK);
      const b = await this.lockDraft(db, id, version);
      const now = this.clock.now();
      const { start, end } = resolvePeriodChange(
        dto,
        { start: b.period_start, end: b.period_end },
        now,
      );
      const overlapping = await bulletins.firstOverlapping(db, start, end, id);
      if (overlapping !== undefined) {
        throw bulletinPeriodOverlap(
          overlapping,
          dto.periodStart !== undefined ? 'periodStart' : 'periodEnd',
        );
      }
      await bulletins.setPeriod(db, id, { start, end, issueDate: dto.issueDate });
      const later = await this.writeText(db, id, start, end, now);
      await this.record(db, p, id, b.issue_number, 'change_period', {
        from: { start: b.period_start.toISOString(), end: b.period_end.toISOString() },
        to: { start: start.toISOString(), end: end.toISOString() },
      });
      return { bulletin: await this.read(db, id), queued: later };
    });
    if (!queued || (await this.queueGeneration(id, bulletin.version))) return bulletin;
    return this.get(id);
  }

  /**
   * Writes a draft's text again from the data as it is now; edits are kept. A long period goes
   * to the queue as for `create`. Also accepted on a `generating` issue (with its version), to
   * queue again a generation whose job was lost or failed for good; the older job, if it still
   * runs, finds the version moved on and does nothing.
   */
  async regenerate(p: Principal, id: string, version: number): Promise<BulletinDto> {
    const { bulletin, queued } = await this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      const b = await this.lockForChange(db, id, version, { allowGenerating: true });
      const later = await this.writeText(db, id, b.period_start, b.period_end, this.clock.now());
      await this.record(db, p, id, b.issue_number, 'regenerate', {});
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

  /**
   * Writes the generated text for [start, end) now, or hands it to a job (true) for a long
   * period. The office's shaping and edits are columns of their own and stay as they are:
   * generated paragraphs are rewritten in their places, the office's are kept (bulletin-shape.ts).
   */
  private async writeText(db: Db, id: string, start: Date, end: Date, now: Date): Promise<boolean> {
    const later = this.generatesLater(start, end);
    if (later) await bulletins.markGenerating(db, id, now);
    else await bulletins.saveGenerated(db, id, await this.generate(db, start, end), now);
    return later;
  }

  /**
   * One shaping change of a draft under its row lock: `change` gets the layout in force and the
   * edits and returns them changed; both are saved as one new version, with the event.
   */
  private shape(
    p: Principal,
    id: string,
    version: number,
    action: string,
    data: Record<string, unknown>,
    change: (
      layout: BulletinShape,
      edits: Record<string, string>,
      generated: BulletinSection[],
    ) => { layout: BulletinShape; edits: Record<string, string> },
  ): Promise<BulletinDto> {
    return this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      const b = await this.lockDraft(db, id, version);
      const next = change(layoutOf(b.generated, b.shape), b.edited, b.generated);
      await bulletins.saveShape(db, id, next.layout, next.edits, this.clock.now());
      await this.record(db, p, id, b.issue_number, action, data);
      return this.read(db, id);
    });
  }

  private async defaultLetterhead(db: Db): Promise<BulletinLetterhead> {
    return mergeLetterhead(this.config, (await bulletins.settings(db)).letterhead);
  }

  private record(
    db: Db,
    p: Principal,
    id: string,
    issueNumber: number,
    action: string,
    data: Record<string, unknown>,
    reason?: string,
  ): Promise<void> {
    return bulletins.recordEvent(db, {
      bulletinId: id,
      issueNumber,
      action,
      actorId: p.id,
      actorName: p.displayName,
      reason,
      data,
      now: this.clock.now(),
    });
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
    return toDto(row, await this.defaultLetterhead(db));
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
    if (row.status === 'withdrawn') throw bulletinWithdrawn(row.issue_number);
    if (row.status === 'generating' && !opts.allowGenerating) {
      throw bulletinGenerating(row.issue_number);
    }
    if (row.version !== version) throw versionConflict('快报', row.version);
    return row;
  }
}
