import type { PlanCoverage } from '../../plans/coverage.reader.js';

import type { UnitSigning } from './digest-signing.reader.js';
/**
 * The weekly digest (综合评价周报) as plain data: what the SQL aggregate counts, what the ratio
 * function derives from it, and the document the API returns and stores.
 */

/**
 * What one SQL aggregate counts for a unit, a category or the whole district over a period
 * [start, end). Every definition is written out beside the query in `digest.reader.ts`.
 */
export interface DigestCounts {
  /** 收到: tasks whose current assignment window began in the period (not cancelled). */
  received: number;
  /** 结案: tasks closed (销号) in the period. */
  closed: number;
  /** 按期结案: of `closed`, those whose accepted submission was made by the 考核时限. */
  closedOnTime: number;
  /**
   * 未经复查销号: of `closed`, those closed on the unit's word alone (`tasks.closed_unverified`:
   * a self_close category, or a spot_check submission not drawn for 抽查).
   */
  closedUnverified: number;
  /**
   * 照片存疑销号: of `closed`, those whose accepted submission had after-photos in doubt (taken
   * before the assignment, too far from the task, no capture time). Shown, not scored.
   */
  closedFlagged: number;
  /** 超期未结: open at the period end and past their deadline then (挂账 excluded). */
  openOverdue: number;
  /** 督办: of `openOverdue`, overdue by more than superviseAfterHours at the period end. */
  supervised: number;
  /** 通报: of `openOverdue`, overdue by more than notifyAfterHours (also counted in 督办). */
  notified: number;
  /** Median hours from 立案 (created) to 销号 of the tasks closed in the period; null if none. */
  medianHoursToClose: number | null;
  /**
   * 应结案 (到期): tasks whose 考核时限 falls in the period (not cancelled) — the deadline set on
   * assignment and moved only by the office, not by 返工 or 反弹 (digest.reader.ts).
   */
  due: number;
  /** 缓办: of `due`, those parked (挂账): they leave the denominator. */
  dueOnHold: number;
  /** Of `due`, those closed before the period end. */
  dueClosed: number;
  /** Of `dueClosed`, those closed on time: the accepted submission made by the 考核时限. */
  dueClosedOnTime: number;
  /**
   * 来源-weighted deductions (config/sources.json `weight`): the sum of the weights of the due
   * tasks (less 挂账) not closed on time by the period end, and of those not closed by then. With
   * every weight 1: volume − dueClosedOnTime and volume − dueClosed. Absent (older stored weeks,
   * hand-built counts): unweighted. Used by 综合指标值 (digest-figures.ts).
   */
  dueMissedWeighted?: number;
  dueUnclosedWeighted?: number;
  /** 在办: tasks with the unit at some time in the period (assigned before its end, not closed before its start). */
  inHand: number;
  /** 复查 done in the period. */
  checks: number;
  /** Of `checks`, those that failed (返工). */
  failedChecks: number;
  /** Extension requests (延期) approved in the period. */
  extensionsGranted: number;
  /**
   * 反弹: tasks logged in the period as a recurrence of an earlier closed task — for a unit,
   * attributed to the unit that closed the earlier task (digest-recurrence.reader.ts).
   */
  recurrences: number;
  /** 重复点位: places with three or more problems of one category logged in the period. */
  repeatLocations: number;
}

/** Ratios derived from DigestCounts by `computeRates`; fractions 0–1, null where undefined. */
export interface DigestRates {
  /** 应结案数 = due − dueOnHold: the denominator of both closure rates, and the volume ranked on. */
  volume: number;
  /** 按期结案率 */
  onTimeClosureRate: number | null;
  /** 结案率 */
  closureRate: number | null;
  /** 返工率 */
  reworkRate: number | null;
  /** 延期率 */
  extensionRate: number | null;
  /** 未经复查销号占比 = closedUnverified ÷ closed; shown, not part of 综合指标值. */
  unverifiedShare: number | null;
  /** 综合指标值, 0–100, after the 反弹 deduction when it is configured. */
  compositeIndex: number | null;
  /** Points the 反弹 deduction took off 综合指标值 (0 when off, for categories and totals). */
  recurrenceDeduction: number;
}

export type DigestFigures = DigestCounts & DigestRates;

/** 绿牌 / 黄牌 / 红牌 */
export type Card = 'green' | 'yellow' | 'red';

export type UnrankedReason = 'below_min_volume' | 'no_index';

export interface UnitDigestRow {
  unitId: string;
  unitName: string;
  /** Competition rank by 综合指标值 (equal values share a rank); null when unranked. */
  rank: number | null;
  card: Card | null;
  unrankedReason: UnrankedReason | null;
  figures: DigestFigures;
  /** 签收率 and median time to sign; present only where 签收 is required (digest-signing.reader.ts). */
  acknowledgement?: UnitSigning;
  /** 信息报送: items adopted in the period (info-items.reader.ts); absent in digests stored before. */
  infoAdopted?: number;
  /** The unit's figures per 来源 with any figure (digest-source.reader.ts); absent in weeks stored before. */
  bySource?: SourceFigures[];
}

/** What one 来源 brought in the period, for a unit or the whole district (digest-source.reader.ts). */
export interface SourceFigures {
  source: string;
  sourceName: string;
  /** The configured weight in 综合指标值 (1 when not given). */
  weight: number;
  /** 新增: tasks created (立案) in the period, not cancelled. */
  raised: number;
  /** 结案: closed in the period. */
  closed: number;
  /** 按期结案: of `closed`, closed on time. */
  closedOnTime: number;
  /** 超期未结: open at the period end past their deadline (挂账 excluded), as `openOverdue`. */
  openOverdue: number;
}

export interface CategoryDigestRow {
  categoryId: string;
  categoryName: string;
  groupName: string;
  figures: DigestFigures;
}

export interface DigestRules {
  /** Units whose volume (应结案数) is below this are listed but not ranked. */
  minVolume: number;
  /** Share of the ranked units, from the top, that get a green card. */
  greenShare: number;
  /** Share of the ranked units, from the bottom, that get a red card. */
  redShare: number;
  /** With fewer ranked units than this, ranks are given but no card (a league of one is none). */
  minRankedForCards: number;
  /** With fewer ranked units than this, nobody gets a red card (two units: a green and a yellow). */
  minRankedForRed: number;
  superviseAfterHours: number;
  notifyAfterHours: number;
  recurrenceDeduction: RecurrenceDeductionRule;
}

/**
 * The 反弹 deduction from a unit's 综合指标值 (config/digest.json; off by default):
 * min(max, pointsPerRecurrence × recurrences) points, never below 0 (digest-figures.ts).
 */
export interface RecurrenceDeductionRule {
  enabled: boolean;
  pointsPerRecurrence: number;
  max: number;
}

export interface Digest {
  /** First and last day, inclusive, Shanghai. */
  from: string;
  to: string;
  /**
   * The instants counted: [periodStart, periodEnd). periodEnd is the end of `to`, or now when
   * `to` has not ended yet (then clampedToNow is true: the figures are "截至" periodEnd).
   */
  periodStart: string;
  periodEnd: string;
  clampedToNow: boolean;
  timeZone: string;
  generatedAt: string;
  rules: DigestRules;
  /** Ranked units by rank, then the unranked ones. */
  units: UnitDigestRow[];
  /** Categories with any figure in the period, in catalog order. */
  categories: CategoryDigestRow[];
  totals: DigestFigures;
  /**
   * 督导覆盖率 of the inspection plans overlapping the period (src/plans/coverage.reader.ts);
   * empty (no plans, rate null) when there is none.
   */
  coverage: PlanCoverage;
  /**
   * District-wide figures per 来源, every configured source in the file's order (then any other
   * code found); 新增 includes tasks still waiting for dispatch. Absent in weeks stored before.
   */
  sources?: SourceFigures[];
}

/** Every count at zero: a unit or category with no work in the period. */
export const EMPTY_COUNTS: DigestCounts = {
  received: 0,
  closed: 0,
  closedOnTime: 0,
  closedUnverified: 0,
  closedFlagged: 0,
  openOverdue: 0,
  supervised: 0,
  notified: 0,
  medianHoursToClose: null,
  due: 0,
  dueOnHold: 0,
  dueClosed: 0,
  dueClosedOnTime: 0,
  inHand: 0,
  checks: 0,
  failedChecks: 0,
  extensionsGranted: 0,
  recurrences: 0,
  repeatLocations: 0,
};
