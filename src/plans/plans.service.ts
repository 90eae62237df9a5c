import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../common/clock.js';
import { invalidField } from '../common/errors/domain-error.js';
import { versionConflict } from '../common/http/versioning.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { dbOf, type Db } from '../database/kysely.js';
import { isUniqueViolation } from '../database/pg-errors.js';
import { TransactionRunner } from '../database/transaction.js';
import {
  addDays,
  daysBetween,
  isoWeekday,
  mondayOf,
  shanghaiDate,
} from '../reports/shanghai-time.js';
import { readCoverage, readUnvisitedSites, type PlanCoverage } from './coverage.reader.js';
import type { CreatePlanDto, ListPlansQuery, PlanDto, UnvisitedSitesDto } from './dto/plan.dto.js';
import type { PlanPeriodKind } from './inspection-plan.entity.js';
import { planNotFound, planPeriodTaken } from './plan-errors.js';
import { plansRepository as plans, type PlanFilter, type PlanRow } from './plans.repository.js';

/** The longest range coverage is read for, in days. */
const MAX_COVERAGE_DAYS = 366;

/** The last day of the period that begins on `start`; a 400 naming periodStart when it cannot. */
export function periodEndOf(kind: PlanPeriodKind, start: string): string {
  if (kind === 'week') {
    if (isoWeekday(start) !== 1) {
      throw invalidField('periodStart', '周计划须从周一开始', 'isMonday');
    }
    return addDays(start, 6);
  }
  if (!start.endsWith('-01')) {
    throw invalidField('periodStart', '月计划须从当月 1 日开始', 'isFirstOfMonth');
  }
  const [y, m] = start.split('-').map(Number);
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

function toDto(r: PlanRow): PlanDto {
  return {
    id: r.id,
    inspectorId: r.inspector_id,
    inspectorName: r.inspector_name,
    periodKind: r.period_kind,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    note: r.note,
    sites: r.sites,
    planned: r.sites.length,
    visited: r.sites.filter((s) => s.visited).length,
    version: r.version,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * 督导计划: the office assigns 点位 to an inspector for a week or a month; inspectors read their
 * own; units see none (the controller's roles). Coverage and 未督导点位 are read by
 * coverage.reader.ts, whose comment holds the rule of what counts as a visit.
 */
@Injectable()
export class PlansService {
  constructor(
    private readonly tx: TransactionRunner,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private today(): string {
    return shanghaiDate(this.clock.now());
  }

  async create(p: Principal, dto: CreatePlanDto): Promise<PlanDto> {
    const periodEnd = periodEndOf(dto.periodKind, dto.periodStart);
    const id = await this.uniquePeriod(() =>
      this.tx.withTransaction(async (em) => {
        const db = dbOf(em);
        const siteIds = await this.checkPlan(db, dto);
        const taken = await plans.samePeriod(db, dto.inspectorId, dto.periodKind, dto.periodStart);
        if (taken) throw planPeriodTaken(taken);
        const planId = await plans.insert(db, {
          inspectorId: dto.inspectorId,
          periodKind: dto.periodKind,
          periodStart: dto.periodStart,
          periodEnd,
          note: dto.note?.trim() || null,
          createdBy: p.id,
        });
        await plans.replaceSites(db, planId, siteIds);
        return planId;
      }),
    );
    return this.get(p, id);
  }

  /** Replaces the plan and its sites in one transaction; a stale `version` is a 409. */
  async update(p: Principal, id: string, version: number, dto: CreatePlanDto): Promise<PlanDto> {
    const periodEnd = periodEndOf(dto.periodKind, dto.periodStart);
    await this.uniquePeriod(() =>
      this.tx.withTransaction(async (em) => {
        const db = dbOf(em);
        const current = await plans.lock(db, id);
        if (!current) throw planNotFound();
        if (current.version !== version) throw versionConflict('督导计划', current.version);
        const siteIds = await this.checkPlan(db, dto);
        const taken = await plans.samePeriod(
          db,
          dto.inspectorId,
          dto.periodKind,
          dto.periodStart,
          id,
        );
        if (taken) throw planPeriodTaken(taken);
        await plans.update(db, id, {
          inspector_id: dto.inspectorId,
          period_kind: dto.periodKind,
          period_start: dto.periodStart,
          period_end: periodEnd,
          note: dto.note?.trim() || null,
          updated_at: this.clock.now(),
        });
        await plans.replaceSites(db, id, siteIds);
      }),
    );
    return this.get(p, id);
  }

  async remove(id: string): Promise<void> {
    const deleted = await plans.delete(dbOf(this.ds.manager), id);
    if (!deleted) throw planNotFound();
  }

  /** An inspector sees only their own plans: another's is 404. */
  async get(p: Principal, id: string): Promise<PlanDto> {
    const filter: PlanFilter = { id };
    if (p.role !== 'admin') filter.inspectorId = p.id;
    const [row] = await plans.find(dbOf(this.ds.manager), filter, this.today(), 1);
    if (!row) throw planNotFound();
    return toDto(row);
  }

  async list(p: Principal, q: ListPlansQuery): Promise<{ items: PlanDto[] }> {
    if (q.from && q.to && q.from > q.to)
      throw invalidField('to', 'to 不能早于 from', 'isAfterFrom');
    const filter: PlanFilter = { from: q.from, to: q.to };
    if (p.role !== 'admin' || q.mine) filter.inspectorId = p.id;
    else if (q.inspectorId) filter.inspectorId = q.inspectorId;
    const rows = await plans.find(dbOf(this.ds.manager), filter, this.today(), q.limit ?? 200);
    return { items: rows.map(toDto) };
  }

  /** Coverage of the days [from, to]; this week (Monday–Sunday) by default. */
  coverage(from?: string, to?: string): Promise<PlanCoverage> {
    const monday = mondayOf(this.today());
    const first = from ?? (to ? mondayOf(to) : monday);
    const last = to ?? addDays(first, 6);
    if (first > last) throw invalidField('to', 'to 不能早于 from', 'isAfterFrom');
    if (daysBetween(first, last) + 1 > MAX_COVERAGE_DAYS) {
      throw invalidField('to', `时段不能超过 ${MAX_COVERAGE_DAYS} 天`, 'maxDays');
    }
    return readCoverage(dbOf(this.ds.manager), first, last);
  }

  async unvisited(days?: number): Promise<UnvisitedSitesDto> {
    const n = days ?? this.config.plans.unvisitedDays;
    const today = this.today();
    const items = await readUnvisitedSites(dbOf(this.ds.manager), today, n);
    return { days: n, today, items };
  }

  /** The inspector is an active user with role inspector; every site exists and is active. */
  private async checkPlan(db: Db, dto: CreatePlanDto): Promise<string[]> {
    const user = await plans.userById(db, dto.inspectorId);
    if (!user || user.role !== 'inspector' || !user.active) {
      throw invalidField('inspectorId', '督导员不存在、已停用或不是督导员', 'isInspector');
    }
    const siteIds = [...new Set(dto.siteIds.map((s) => s.toLowerCase()))];
    const found = await plans.activeSiteIds(db, siteIds);
    const missing = siteIds.findIndex((s) => !found.has(s));
    if (missing >= 0) {
      throw invalidField(`siteIds`, `点位 ${siteIds[missing]} 不存在或已停用`, 'siteExists');
    }
    return siteIds;
  }

  /** Two offices creating the same plan at once: the unique key answers the loser with a 409. */
  private async uniquePeriod<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (isUniqueViolation(e, 'uq_inspection_plans_inspector_period'))
        throw planPeriodTaken(undefined);
      throw e;
    }
  }
}
