import { Inject, Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Updateable } from 'kysely';
import type { DataSource } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../common/clock.js';
import { CommonErrorCode, DomainError, invalidField } from '../common/errors/domain-error.js';
import { isUuid } from '../common/http/id-or-code.js';
import { decodeCursor, toPage } from '../common/http/pagination.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Inspections } from '../database/db.generated.js';
import { hashRequest, onceForKey } from '../database/idempotency.js';
import { dbOf, type Db } from '../database/kysely.js';
import { readAfterCommit, TransactionRunner } from '../database/transaction.js';
import { API_PREFIX } from '../common/http/api-prefix.js';
import { shanghaiDate } from '../reports/shanghai-time.js';
import { TasksService } from '../tasks/tasks.service.js';
import type {
  CreateInspectionDto,
  InspectionDto,
  ListInspectionsQuery,
  UpdateInspectionDto,
} from './dto/inspection.dto.js';
import {
  inspectionsRepository as inspections,
  type InspectionFilter,
  type InspectionRow,
} from './inspections.repository.js';

export enum InspectionErrorCode {
  INSPECTION_NOT_FOUND = 'INSPECTION_NOT_FOUND',
  /** A voided inspection is kept as it was: no edit, no second voiding. */
  INSPECTION_VOIDED = 'INSPECTION_VOIDED',
}

const notFound = (): DomainError =>
  new DomainError('not_found', InspectionErrorCode.INSPECTION_NOT_FOUND, '督导检查不存在');

const voided = (): DomainError =>
  new DomainError('conflict', InspectionErrorCode.INSPECTION_VOIDED, '该督导检查已作废');

/**
 * Inspections and meetings. Inspectors create and edit their own; the office edits any. A unit
 * sees the inspections it took part in or that raised its tasks, with only its own tasks counted.
 */
@Injectable()
export class InspectionsService {
  private readonly leadRanks: Record<string, number>;

  constructor(
    private readonly tx: TransactionRunner,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly tasks: TasksService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const bulletin = JSON.parse(readFileSync(join(config.configDir, 'bulletin.json'), 'utf8')) as {
      leadRanks?: Record<string, number>;
    };
    this.leadRanks = bulletin.leadRanks ?? {};
  }

  async create(
    p: Principal,
    dto: CreateInspectionDto,
    idempotencyKey?: string,
  ): Promise<InspectionDto> {
    const { tasks, ...fields } = dto;
    const { result } = await this.tx.withTransaction((em) =>
      onceForKey(
        em,
        `inspections:${p.kind}:${p.id}`,
        idempotencyKey,
        hashRequest(dto),
        async () => {
          const db = dbOf(em);
          const id = await inspections.insert(db, {
            kind: fields.kind,
            activity: fields.activity.trim(),
            leadPersons: fields.leadPersons.map((s) => s.trim()),
            leadRank: this.rankOf(fields.leadPersons, fields.leadRank),
            accompanying: fields.accompanying ?? [],
            heldOn: this.pastDay(fields.heldOn),
            location: fields.location.trim(),
            target: fields.target ?? null,
            focus: fields.focus ?? null,
            requirements: fields.requirements ?? [],
            source: fields.source?.trim() || '本刊',
            notes: fields.notes ?? null,
            createdBy: p.id,
          });
          await this.replaceLinks(db, id, fields.participatingUnitIds, fields.siteIds);
          for (const [i, task] of (tasks ?? []).entries()) {
            await this.tasks.createInTransaction(
              em,
              p,
              { ...task, inspectionId: id },
              id,
              `tasks.${i}.beforePhotoIds`,
              `tasks.${i}.foundAt`,
            );
          }
          return { id };
        },
      ),
    );
    // Read after commit, as for tasks: the number counter is not held while reading.
    return readAfterCommit(result.id, `/${API_PREFIX}/inspections/${result.id}`, () =>
      this.get(p, result.id),
    );
  }

  async update(p: Principal, id: string, dto: UpdateInspectionDto): Promise<InspectionDto> {
    return this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      const current = await inspections.lock(db, id);
      if (!current || p.role === 'unit') throw notFound();
      if (current.voided_at) throw voided();
      if (p.role === 'inspector' && current.created_by !== p.id) {
        throw new DomainError(
          'forbidden',
          CommonErrorCode.FORBIDDEN,
          '督导员只能修改自己录入的督导检查',
        );
      }
      const set: Updateable<Inspections> = {};
      if (dto.kind !== undefined) set.kind = dto.kind;
      if (dto.activity !== undefined) set.activity = dto.activity.trim();
      if (dto.leadPersons !== undefined) set.lead_persons = dto.leadPersons.map((s) => s.trim());
      if (dto.leadRank !== undefined || dto.leadPersons !== undefined) {
        set.lead_rank = this.rankOf(dto.leadPersons ?? current.lead_persons, dto.leadRank);
      }
      if (dto.accompanying !== undefined) set.accompanying = dto.accompanying;
      if (dto.heldOn !== undefined) set.held_on = this.pastDay(dto.heldOn);
      if (dto.location !== undefined) set.location = dto.location.trim();
      if (dto.target !== undefined) set.target = dto.target;
      if (dto.focus !== undefined) set.focus = dto.focus;
      if (dto.requirements !== undefined) set.requirements = JSON.stringify(dto.requirements);
      if (dto.source !== undefined) set.source = dto.source.trim() || '本刊';
      if (dto.notes !== undefined) set.notes = dto.notes;
      set.updated_at = this.clock.now();
      await inspections.update(db, id, set);
      await this.replaceLinks(db, id, dto.participatingUnitIds, dto.siteIds);
      return this.read(db, p, id);
    });
  }

  /**
   * 作废 (office): an inspection logged by mistake. The row stays with who, when and why; lists
   * show it marked and the 快报 leaves it out. Its tasks are not touched: each has its own
   * lifecycle (cancel, mark duplicate), and a real problem found on a wrong visit is still real.
   */
  async void(p: Principal, id: string, reason: string): Promise<InspectionDto> {
    return this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      const current = await inspections.lock(db, id);
      if (!current) throw notFound();
      if (current.voided_at) throw voided();
      const now = this.clock.now();
      await inspections.update(db, id, {
        voided_at: now,
        voided_by: p.id,
        void_reason: reason.trim(),
        updated_at: now,
      });
      return this.read(db, p, id);
    });
  }

  get(p: Principal, id: string): Promise<InspectionDto> {
    return this.read(dbOf(this.ds.manager), p, id);
  }

  private async read(db: Db, p: Principal, id: string): Promise<InspectionDto> {
    const [row] = await this.query(db, p, { id }, 1);
    if (!row) throw notFound();
    return toDto(row);
  }

  async list(
    p: Principal,
    q: ListInspectionsQuery,
  ): Promise<{ items: InspectionDto[]; nextCursor: string | null }> {
    const limit = q.limit ?? 50;
    const filter: InspectionFilter = {
      kind: q.kind || undefined,
      from: q.from || undefined,
      to: q.to || undefined,
    };
    if (q.cursor) {
      const [heldOn, cid] = decodeCursor(q.cursor, 2);
      filter.before = [String(heldOn), String(cid)];
    }
    const rows = await this.query(dbOf(this.ds.manager), p, filter, limit + 1);
    const page = toPage(rows, limit, (r) => [r.held_on, r.id]);
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }

  private query(
    db: Db,
    p: Principal,
    filter: InspectionFilter,
    limit: number,
  ): Promise<InspectionRow[]> {
    return inspections.find(
      db,
      { unitId: p.role === 'unit' ? p.unitId : undefined },
      filter,
      limit,
    );
  }

  /** Replaces the participating units and visited sites when given, keeping their order. */
  private async replaceLinks(
    db: Db,
    id: string,
    unitIds?: string[],
    siteIds?: string[],
  ): Promise<void> {
    if (unitIds) {
      // By id or by code (see IsIdOrCode), in the order given.
      const found = await inspections.activeUnitsByRef(
        db,
        unitIds.map((u) => (isUuid(u) ? u.toLowerCase() : u)),
      );
      const idOf = (ref: string): string | undefined =>
        found.find((u) => (isUuid(ref) ? u.id === ref.toLowerCase() : u.code === ref))?.id;
      const resolved = unitIds.map(idOf);
      if (resolved.some((id) => id === undefined))
        throw invalidField('participatingUnitIds', '有单位不存在或已停用', 'unitExists');
      await inspections.replaceUnits(db, id, [...new Set(resolved as string[])]);
    }
    if (siteIds) {
      // By id or by code, as the units above.
      const found = await inspections.sitesByRef(
        db,
        siteIds.map((s) => (isUuid(s) ? s.toLowerCase() : s)),
      );
      const idOf = (ref: string): string | undefined =>
        found.find((s) => (isUuid(ref) ? s.id === ref.toLowerCase() : s.code === ref))?.id;
      const resolved = siteIds.map(idOf);
      if (resolved.some((id) => id === undefined))
        throw invalidField('siteIds', '有点位不存在', 'siteExists');
      await inspections.replaceSites(db, id, [...new Set(resolved as string[])]);
    }
  }

  /** The most senior lead's rank from config/bulletin.json, unless given. */
  private rankOf(leads: string[], given?: number): number {
    if (given !== undefined) return given;
    const ranks = leads
      .map((l) => this.leadRanks[l.trim()])
      .filter((r): r is number => r !== undefined);
    return ranks.length ? Math.min(...ranks) : 100;
  }

  /** The day of a visit already held: today (Shanghai) at the latest. */
  private pastDay(day: string): string {
    if (day > shanghaiDate(this.clock.now())) {
      throw invalidField('heldOn', 'heldOn must not be in the future', 'notFuture');
    }
    return day;
  }
}

function toDto(r: InspectionRow): InspectionDto {
  return {
    id: r.id,
    kind: r.kind,
    activity: r.activity,
    leadPersons: r.lead_persons,
    leadRank: r.lead_rank,
    accompanying: r.accompanying,
    heldOn: r.held_on,
    location: r.location,
    target: r.target,
    focus: r.focus,
    requirements: r.requirements,
    source: r.source,
    notes: r.notes,
    participatingUnits: r.units,
    sitesVisited: r.sites,
    createdBy: r.created_by,
    taskCounts: { total: r.task_ids.length, closed: r.closed, open: r.open },
    taskIds: r.task_ids,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    voided: r.voided_at
      ? { at: r.voided_at.toISOString(), by: r.voided_by ?? '', reason: r.void_reason ?? '' }
      : null,
  };
}
