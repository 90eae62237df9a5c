import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { dbOf, type Db } from '../../database/kysely.js';
import { Clock } from '../../common/clock.js';
import { DomainError, invalidField } from '../../common/errors/domain-error.js';
import { TransactionRunner } from '../../database/transaction.js';
import { AcknowledgementPolicy } from '../../tasks/acknowledgement/acknowledgement-policy.js';
import { DeadlineService } from '../../tasks/deadline/deadline.service.js';
import { DIGEST_CONFIG, type DigestConfig } from '../report-config.js';
import { ReportErrorCode, digestNotFound } from '../report-errors.js';
import {
  addDays,
  dayRange,
  daysBetween,
  FIRST_YEAR,
  isCalendarDate,
  isoWeekday,
  LAST_YEAR,
  TIME_ZONE,
} from '../shanghai-time.js';
import { computeRates, rankByIndex } from './digest-figures.js';
import { countedPeriod, resolveDigestDays, type DigestDays } from './digest-period.js';
import type {
  CategoryDigestRow,
  Digest,
  DigestCounts,
  DigestFigures,
  DigestRules,
  RecurrenceDeductionRule,
  UnitDigestRow,
} from './digest-model.js';
import { EMPTY_COUNTS } from './digest-model.js';
import { weeklyDigestsRepository as weeklyDigests } from './weekly-digests.repository.js';
import { readCategories, readDigestCounts, readUnits, type UnitRow } from './digest.reader.js';
import { readRecurrenceCounts } from './digest-recurrence.reader.js';
import { emptyCoverage, readCoverage } from '../../plans/coverage.reader.js';
import { NO_SIGNING, readUnitSigning } from './digest-signing.reader.js';
import { readAdoptedInfoItems } from './info-items.reader.js';
import { TaskSources } from '../../catalog/task-sources.js';
import { mergeSourceCounts } from './digest-source-merge.js';
import { readRaisedCounts, type SourceCountRow } from './digest-source.reader.js';
import type { SourceFigures } from './digest-model.js';

/**
 * Advisory lock class of the weekly digest store; the object id is the week's Monday as days
 * since 1970-01-01, so storing different weeks never waits on each other.
 */
export const DIGEST_LOCK_CLASS = 72_672;

const byName = new Intl.Collator('zh-Hans-CN').compare;

function isEmpty(c: DigestCounts): boolean {
  return (Object.keys(EMPTY_COUNTS) as (keyof DigestCounts)[]).every((k) => !c[k]);
}

function figuresOf(c: DigestCounts, deduction?: RecurrenceDeductionRule): DigestFigures {
  return { ...c, ...computeRates(c, deduction) };
}

/** Units in their configured order, then by name in pinyin. */
function compareUnits(a: UnitRow, b: UnitRow): number {
  if (a.sortOrder !== b.sortOrder) return a.sortOrder - b.sortOrder;
  const names = byName(a.name, b.name);
  return names !== 0 ? names : a.id < b.id ? -1 : 1;
}

/** A week is named by its Monday, a real day in the years a client may give (9999 is a 400). */
const notAMonday = (): DomainError =>
  invalidField(
    'weekStart',
    `weekStart must be a Monday, YYYY-MM-DD, from ${FIRST_YEAR} to ${LAST_YEAR}`,
    'isMonday',
  );

/** Figures of a stored week, with the counts added since at zero (none existed then). */
function storedFigures(f: DigestFigures): DigestFigures {
  return {
    ...f,
    closedFlagged: f.closedFlagged ?? 0,
    recurrences: f.recurrences ?? 0,
    repeatLocations: f.repeatLocations ?? 0,
    recurrenceDeduction: f.recurrenceDeduction ?? 0,
  };
}

/**
 * A stored week was over when stored, so never clamped; rows stored before the field lack it.
 * Weeks stored before photos were judged (照片存疑) lack `closedFlagged`: none was flagged then;
 * weeks stored before 反弹 was counted lack its figures and rule: none was counted or deducted.
 */
function storedDigest(data: Digest): Digest {
  const withNewFigures = <T extends { figures: DigestFigures }>(row: T): T => ({
    ...row,
    figures: storedFigures(row.figures),
  });
  return {
    ...data,
    clampedToNow: (data as Partial<Digest>).clampedToNow ?? false,
    rules: {
      ...data.rules,
      recurrenceDeduction: data.rules.recurrenceDeduction ?? NO_RECURRENCE_DEDUCTION,
    },
    units: data.units.map(withNewFigures),
    categories: data.categories.map(withNewFigures),
    totals: storedFigures(data.totals),
    // Weeks stored before 督导计划 existed had no plans to cover.
    coverage: (data as Partial<Digest>).coverage ?? emptyCoverage(data.from, data.to),
    // Weeks stored before 来源 was counted: no figures by source.
    sources: data.sources ?? [],
  };
}

const NO_RECURRENCE_DEDUCTION: RecurrenceDeductionRule = {
  enabled: false,
  pointsPerRecurrence: 0,
  max: 0,
};

export function lockObjectOf(weekStart: string): number {
  return daysBetween('1970-01-01', weekStart);
}

/**
 * 综合评价周报: per unit and per category, for any range of Shanghai days, computed by one SQL
 * aggregate; the weekly ones are stored once, the Monday after, and read back unchanged.
 */
@Injectable()
export class DigestService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly tx: TransactionRunner,
    private readonly deadlines: DeadlineService,
    private readonly clock: Clock,
    @Inject(DIGEST_CONFIG) private readonly config: DigestConfig,
    private readonly acknowledgement: AcknowledgementPolicy,
    private readonly sources: TaskSources,
  ) {}

  /** A count row of one 来源 with its name and weight (an unknown code: its code, weight 1). */
  private sourceFigures(r: Omit<SourceCountRow, 'unitId'>): SourceFigures {
    const configured = this.sources.find(r.source);
    return {
      source: r.source,
      sourceName: configured?.name ?? r.source,
      weight: configured?.weight ?? 1,
      raised: r.raised,
      closed: r.closed,
      closedOnTime: r.closedOnTime,
      openOverdue: r.openOverdue,
    };
  }

  /** Configured order first, then any other code by code. */
  private sourceOrder(a: { source: string }, b: { source: string }): number {
    const rank = (code: string) => {
      const i = this.sources.all.findIndex((x) => x.code === code);
      return i < 0 ? this.sources.all.length : i;
    };
    return (
      rank(a.source) - rank(b.source) || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0)
    );
  }

  /**
   * The days a request asks for: `period` (last-week, the default, or this-week), or `from`/`to`
   * (both; one given: the week from or up to it). Bad, reversed, too long or future-starting
   * periods are a 400 naming the field. Every rule is in digest-period.ts.
   */
  resolveRange(from?: string, to?: string, period?: string): DigestDays {
    return resolveDigestDays({ from, to, period }, this.clock.now());
  }

  rules(): DigestRules {
    const { superviseAfterHours, notifyAfterHours } = this.deadlines.settings.escalation;
    return { ...this.config, superviseAfterHours, notifyAfterHours };
  }

  /**
   * The digest of the inclusive Shanghai days `from` … `to`, counted up to now when `to` has not
   * ended yet (`clampedToNow`; see digest-period.ts).
   */
  compute(from: string, to: string): Promise<Digest> {
    // Three reads, each standing alone, as before.
    return this.computeIn(dbOf(this.ds.manager), from, to);
  }

  private async computeIn(db: Db, from: string, to: string): Promise<Digest> {
    const now = this.clock.now();
    const { start, end, clampedToNow } = countedPeriod({ from, to }, now);
    const rules = this.rules();
    const { counts: rows, sources } = await readDigestCounts(db, start, end, rules, {
      codes: this.sources.all.map((x) => x.code),
      weights: this.sources.all.map((x) => x.weight),
    });
    const raised = await readRaisedCounts(db, start, end);
    const sourceRows = mergeSourceCounts(sources, raised).sort((a, b) => this.sourceOrder(a, b));
    const recurrenceRows = await readRecurrenceCounts(db, start, end);
    const units = await readUnits(db);
    const categories = await readCategories(db);
    const coverage = await readCoverage(db, from, to);
    const { required, limitHours } = this.acknowledgement;
    const signing = required ? await readUnitSigning(db, { start, end, now, limitHours }) : null;
    const infoAdopted = await readAdoptedInfoItems(db, start, end);
    const counts = new Map(rows.map((r) => [r.key, r] as const));
    const recurrenceCounts = new Map(recurrenceRows.map((r) => [r.key, r] as const));
    const countsOf = (key: string): DigestCounts => {
      const { key: _key, ...rest } = counts.get(key) ?? { key, ...EMPTY_COUNTS };
      const recurrence = recurrenceCounts.get(key);
      return {
        ...rest,
        recurrences: recurrence?.recurrences ?? 0,
        repeatLocations: recurrence?.repeatLocations ?? 0,
      };
    };

    // Every active unit is listed, figures or not; a retired one only when it has figures.
    const listed = units
      .map((unit) => ({ unit, counts: countsOf(`u:${unit.id}`) }))
      .filter(({ unit, counts: c }) => unit.active || !isEmpty(c))
      .map(({ unit, counts: c }) => ({
        unit,
        // The 反弹 deduction is a unit's (digest-figures.ts), off unless configured.
        figures: figuresOf(c, rules.recurrenceDeduction),
      }));
    const ranking = rankByIndex(
      listed.map(({ unit, figures }) => ({
        key: unit.id,
        volume: figures.volume,
        compositeIndex: figures.compositeIndex,
      })),
      rules,
    );
    const unitRows: (UnitDigestRow & { catalog: UnitRow })[] = listed.map(({ unit, figures }) => {
      const outcome = ranking.get(unit.id) ?? { rank: null, card: null, unrankedReason: null };
      const ack = signing ? { acknowledgement: signing.get(unit.id) ?? NO_SIGNING } : {};
      const info = { infoAdopted: infoAdopted.get(unit.id) ?? 0 };
      const bySource = sourceRows
        .filter((r) => r.unitId === unit.id)
        .map((r) => this.sourceFigures(r));
      return {
        unitId: unit.id,
        unitName: unit.name,
        ...outcome,
        figures,
        ...ack,
        ...info,
        bySource,
        catalog: unit,
      };
    });
    unitRows.sort((a, b) => {
      if (a.rank !== b.rank) {
        if (a.rank === null) return 1;
        if (b.rank === null) return -1;
        return a.rank - b.rank;
      }
      return compareUnits(a.catalog, b.catalog);
    });

    // In catalog order (sort order, then code), as the query gives them.
    const categoryRows: CategoryDigestRow[] = categories
      .map((category) => ({ category, counts: countsOf(`c:${category.id}`) }))
      .filter(({ counts: c }) => !isEmpty(c))
      .map(({ category, counts: c }) => ({
        categoryId: category.id,
        categoryName: category.name,
        groupName: category.groupName,
        figures: figuresOf(c),
      }));

    return {
      from,
      to,
      periodStart: start.toISOString(),
      periodEnd: end.toISOString(),
      clampedToNow,
      timeZone: TIME_ZONE,
      generatedAt: now.toISOString(),
      rules,
      units: unitRows.map(({ catalog: _catalog, ...row }) => row),
      categories: categoryRows,
      totals: figuresOf(countsOf('all')),
      coverage,
      sources: [
        ...this.sources.all.map((x) => ({ source: x.code })),
        ...sourceRows.filter((r) => r.unitId === null && !this.sources.find(r.source)),
      ].map(({ source }) =>
        this.sourceFigures(
          sourceRows.find((r) => r.unitId === null && r.source === source) ?? {
            source,
            raised: 0,
            closed: 0,
            closedOnTime: 0,
            openOverdue: 0,
          },
        ),
      ),
    };
  }

  /** A Monday that begins a week already over; anything else is refused. */
  assertStorableWeek(weekStart: string): void {
    if (!isCalendarDate(weekStart) || isoWeekday(weekStart) !== 1) {
      throw notAMonday();
    }
    if (dayRange(weekStart, addDays(weekStart, 6)).end > this.clock.now()) {
      throw new DomainError(
        'unprocessable',
        ReportErrorCode.WEEK_NOT_OVER,
        `${weekStart} 这一周尚未结束，不能存档`,
        { weekStart },
      );
    }
  }

  async getStored(weekStart: string): Promise<Digest> {
    if (!isCalendarDate(weekStart) || isoWeekday(weekStart) !== 1) {
      throw notAMonday();
    }
    const data = await weeklyDigests.find(dbOf(this.ds.manager), weekStart);
    if (!data) throw digestNotFound(weekStart);
    return storedDigest(data);
  }

  /**
   * Stores the digest of the week starting `weekStart` unless it is stored already, and returns
   * what is stored. For callers that hold the week's advisory lock in `em`'s transaction (see
   * `generateAndStore` and the scheduler): the existing row is read first, so a second run does
   * not even compute, and the insert is an upsert that never overwrites.
   */
  async storeWeek(
    em: EntityManager,
    weekStart: string,
  ): Promise<{ digest: Digest; created: boolean }> {
    this.assertStorableWeek(weekStart);
    const db = dbOf(em);
    const existing = await weeklyDigests.find(db, weekStart);
    if (existing) return { digest: storedDigest(existing), created: false };
    const digest = await this.computeIn(db, weekStart, addDays(weekStart, 6));
    if (await weeklyDigests.insert(db, weekStart, digest)) return { digest, created: true };
    // Only reachable if someone stored it without the lock; what is stored wins.
    return { digest: await this.getStored(weekStart), created: false };
  }

  /**
   * Computes and stores the week's digest once, waiting for any other instance storing the
   * same week (then finding its row). Used by the office's backfill route; the scheduler uses
   * the non-waiting lock instead.
   */
  generateAndStore(weekStart: string): Promise<{ digest: Digest; created: boolean }> {
    this.assertStorableWeek(weekStart);
    return this.tx.withTransaction(async (em) => {
      await weeklyDigests.lockWeek(dbOf(em), DIGEST_LOCK_CLASS, lockObjectOf(weekStart));
      return this.storeWeek(em, weekStart);
    });
  }
}
