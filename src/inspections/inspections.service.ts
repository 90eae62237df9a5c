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
import { parseBulletinText } from '../reports/bulletin/bulletin-text.js';
import { renderInspectionParagraph } from '../reports/bulletin/command-dispatch.js';
import type {
  CreateInspectionDto,
  InspectionDto,
  ListInspectionsQuery,
  ParagraphPreviewDto,
  PreviewParagraphDto,
  UpdateInspectionDto,
} from './dto/inspection.dto.js';
import {
  checkNumbering,
  houseStyleChanges,
  houseStyleOf,
  leadPersonsOf,
  previewFacts,
  requirementsOf,
  visitedSitesOf,
  type VisitedSitesInput,
} from './house-style.js';
import type { Requirement } from './inspection.entity.js';
import {
  inspectionsRepository as inspections,
  type HouseStyleColumns,
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
    // Checked before the transaction: a refusal writes nothing.
    const style = houseStyleOf(fields);
    const leadPersons = leadPersonsOf(fields.leadPersons, style.leaders);
    const requirements = requirementsOf(fields.requirements ?? []);
    const sites = visitedSitesOf(fields);
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
            leadPersons,
            leadRank: this.rankOf(leadPersons, fields.leadRank),
            accompanying: fields.accompanying ?? [],
            heldOn: this.pastDay(fields.heldOn),
            location: fields.location.trim(),
            target: fields.target?.trim() || null,
            focus: fields.focus?.trim() || null,
            requirements,
            source: fields.source?.trim() || '本刊',
            notes: fields.notes ?? null,
            createdBy: p.id,
            ...style,
          });
          await this.replaceLinks(db, id, fields.participatingUnitIds, sites);
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
      const style = houseStyleChanges(dto);
      const requirements = dto.requirements && requirementsOf(dto.requirements);
      checkNumbering(
        style.requirementNumbering ?? current.requirement_numbering,
        (requirements ?? (current.requirements as unknown as Requirement[])).length,
      );
      const sites = visitedSitesOf(dto);
      const set: Updateable<Inspections> = houseStyleSet(style);
      if (dto.kind !== undefined) set.kind = dto.kind;
      if (dto.activity !== undefined) set.activity = dto.activity.trim();
      // The leaders' names stand for the lead persons when only the leaders are given.
      const named = (style.leaders ?? []).some((l) => l.name || l.title);
      const leadPersons =
        dto.leadPersons !== undefined || named
          ? leadPersonsOf(dto.leadPersons, style.leaders)
          : undefined;
      if (leadPersons) set.lead_persons = leadPersons;
      if (dto.leadRank !== undefined || leadPersons) {
        set.lead_rank = this.rankOf(leadPersons ?? current.lead_persons, dto.leadRank);
      }
      if (dto.accompanying !== undefined) set.accompanying = dto.accompanying;
      if (dto.heldOn !== undefined) set.held_on = this.pastDay(dto.heldOn);
      if (dto.location !== undefined) set.location = dto.location.trim();
      if (dto.target !== undefined) set.target = dto.target.trim() || null;
      if (dto.focus !== undefined) set.focus = dto.focus.trim() || null;
      if (requirements !== undefined) set.requirements = JSON.stringify(requirements);
      if (dto.source !== undefined) set.source = dto.source.trim() || '本刊';
      if (dto.notes !== undefined) set.notes = dto.notes;
      set.updated_at = this.clock.now();
      await inspections.update(db, id, set);
      await this.replaceLinks(db, id, dto.participatingUnitIds, sites);
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

  /**
   * The 指挥调度 paragraph the 快报 would write from this form, with the units' and sites' names
   * resolved as saving would resolve them (an unknown one is the same 400). Nothing is written;
   * the problems found are counted from the tasks when the 快报 is drafted.
   */
  async previewParagraph(dto: PreviewParagraphDto): Promise<ParagraphPreviewDto> {
    const db = dbOf(this.ds.manager);
    const units = await this.resolveUnits(db, dto.participatingUnitIds ?? []);
    const sites = await this.resolveSites(db, visitedSitesOf(dto));
    const text = renderInspectionParagraph(
      previewFacts(
        dto,
        units.map((u) => u.name),
        sites.map((s) => ({ name: s.name, alias: s.alias })),
      ),
    );
    return { text, spans: parseBulletinText(text) };
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
    sites?: VisitedSitesInput,
  ): Promise<void> {
    if (unitIds) {
      const units = await this.resolveUnits(db, unitIds);
      await inspections.replaceUnits(db, id, [...new Set(units.map((u) => u.id))]);
    }
    if (sites) {
      const resolved = await this.resolveSites(db, sites);
      // A site given twice is visited once, with the first alias given for it.
      const seen = new Set<string>();
      const unique = resolved.filter((s) => !seen.has(s.id) && seen.add(s.id));
      await inspections.replaceSites(
        db,
        id,
        unique.map((s) => ({ siteId: s.id, alias: s.alias })),
      );
    }
  }

  /** Active units by id or code (see IsIdOrCode), in the order given; an unknown one is a 400. */
  private async resolveUnits(db: Db, refs: string[]): Promise<{ id: string; name: string }[]> {
    if (refs.length === 0) return [];
    const found = await inspections.activeUnitsByRef(
      db,
      refs.map((u) => (isUuid(u) ? u.toLowerCase() : u)),
    );
    const byRef = (ref: string) =>
      found.find((u) => (isUuid(ref) ? u.id === ref.toLowerCase() : u.code === ref));
    const resolved = refs.map(byRef);
    if (resolved.some((u) => u === undefined))
      throw invalidField('participatingUnitIds', '有单位不存在或已停用', 'unitExists');
    return resolved as { id: string; name: string }[];
  }

  /** Sites by id or code, in the order given, with their aliases; an unknown one is a 400. */
  private async resolveSites(
    db: Db,
    input: VisitedSitesInput | undefined,
  ): Promise<{ id: string; name: string; alias: string | null }[]> {
    const sites = input?.sites ?? [];
    if (sites.length === 0) return [];
    const found = await inspections.sitesByRef(
      db,
      sites.map(({ ref }) => (isUuid(ref) ? ref.toLowerCase() : ref)),
    );
    return sites.map(({ ref, alias }, i) => {
      const site = found.find((s) => (isUuid(ref) ? s.id === ref.toLowerCase() : s.code === ref));
      if (!site) {
        // Named as the field the caller used.
        throw invalidField(
          input?.field === 'visitedSites' ? `visitedSites.${i}.siteId` : 'siteIds',
          '有点位不存在',
          'siteExists',
        );
      }
      return { id: site.id, name: site.name, alias };
    });
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

/** The house-style columns an update sets, as a row change. */
function houseStyleSet(c: Partial<HouseStyleColumns>): Updateable<Inspections> {
  const set: Updateable<Inspections> = {};
  if (c.convener !== undefined) set.convener = c.convener;
  if (c.purpose !== undefined) set.purpose = c.purpose;
  if (c.leaders !== undefined) set.leaders = JSON.stringify(c.leaders);
  if (c.escorts !== undefined) set.escorts = JSON.stringify(c.escorts);
  if (c.participantGroups !== undefined) set.participant_groups = c.participantGroups;
  if (c.remarks !== undefined) set.remarks = JSON.stringify(c.remarks);
  if (c.requirementsBy !== undefined) set.requirements_by = c.requirementsBy;
  if (c.requirementNumbering !== undefined) set.requirement_numbering = c.requirementNumbering;
  if (c.lookedAt !== undefined) set.looked_at = c.lookedAt;
  return set;
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
    sitesVisited: r.sites.map((s) => ({ id: s.id, name: s.name })),
    visitedSites: r.sites,
    leaders: r.leaders,
    convener: r.convener,
    purpose: r.purpose,
    escorts: r.escorts,
    participantGroups: r.participant_groups,
    remarks: r.remarks,
    requirementsBy: r.requirements_by,
    requirementNumbering: r.requirement_numbering,
    lookedAt: r.looked_at,
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
