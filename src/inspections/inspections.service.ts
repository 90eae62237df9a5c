import { Inject, Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../common/clock.js';
import { CommonErrorCode, DomainError, invalidField } from '../common/errors/domain-error.js';
import { isUuid } from '../common/http/id-or-code.js';
import { decodeCursor, toPage } from '../common/http/pagination.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { hashRequest, onceForKey } from '../database/idempotency.js';
import { SqlWhere } from '../database/sql-where.js';
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
import type { InspectionKind, Requirement } from './inspection.entity.js';

export enum InspectionErrorCode {
  INSPECTION_NOT_FOUND = 'INSPECTION_NOT_FOUND',
  /** A voided inspection is kept as it was: no edit, no second voiding. */
  INSPECTION_VOIDED = 'INSPECTION_VOIDED',
}

const notFound = (): DomainError =>
  new DomainError('not_found', InspectionErrorCode.INSPECTION_NOT_FOUND, '督导检查不存在');

const voided = (): DomainError =>
  new DomainError('conflict', InspectionErrorCode.INSPECTION_VOIDED, '该督导检查已作废');

interface InspectionRow {
  id: string;
  kind: InspectionKind;
  activity: string;
  lead_persons: string[];
  lead_rank: number;
  accompanying: string[];
  held_on: string;
  location: string;
  target: string | null;
  focus: string | null;
  requirements: Requirement[];
  source: string;
  notes: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  voided_at: Date | null;
  voided_by: string | null;
  void_reason: string | null;
  units: { id: string; name: string }[];
  sites: { id: string; name: string }[];
  task_ids: string[];
  closed: number;
  open: number;
}

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
          const [row] = (await em.query(
            `INSERT INTO inspections (kind, activity, lead_persons, lead_rank, accompanying, held_on, location, target, focus,
                                    requirements, source, notes, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
            [
              fields.kind,
              fields.activity.trim(),
              fields.leadPersons.map((s) => s.trim()),
              this.rankOf(fields.leadPersons, fields.leadRank),
              fields.accompanying ?? [],
              this.pastDay(fields.heldOn),
              fields.location.trim(),
              fields.target ?? null,
              fields.focus ?? null,
              JSON.stringify(fields.requirements ?? []),
              fields.source?.trim() || '本刊',
              fields.notes ?? null,
              p.id,
            ],
          )) as { id: string }[];
          await this.replaceLinks(em, row.id, fields.participatingUnitIds, fields.siteIds);
          for (const [i, task] of (tasks ?? []).entries()) {
            await this.tasks.createInTransaction(
              em,
              p,
              { ...task, inspectionId: row.id },
              row.id,
              `tasks.${i}.beforePhotoIds`,
            );
          }
          return { id: row.id };
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
      const [current] = (await em.query(
        'SELECT created_by, lead_persons, voided_at FROM inspections WHERE id = $1 FOR UPDATE',
        [id],
      )) as {
        created_by: string;
        lead_persons: string[];
        voided_at: Date | null;
      }[];
      if (!current || p.role === 'unit') throw notFound();
      if (current.voided_at) throw voided();
      if (p.role === 'inspector' && current.created_by !== p.id) {
        throw new DomainError(
          'forbidden',
          CommonErrorCode.FORBIDDEN,
          '督导员只能修改自己录入的督导检查',
        );
      }
      const sets: string[] = [];
      const params: unknown[] = [id];
      const put = (column: string, value: unknown): void => {
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      };
      if (dto.kind !== undefined) put('kind', dto.kind);
      if (dto.activity !== undefined) put('activity', dto.activity.trim());
      if (dto.leadPersons !== undefined)
        put(
          'lead_persons',
          dto.leadPersons.map((s) => s.trim()),
        );
      if (dto.leadRank !== undefined || dto.leadPersons !== undefined) {
        put('lead_rank', this.rankOf(dto.leadPersons ?? current.lead_persons, dto.leadRank));
      }
      if (dto.accompanying !== undefined) put('accompanying', dto.accompanying);
      if (dto.heldOn !== undefined) put('held_on', this.pastDay(dto.heldOn));
      if (dto.location !== undefined) put('location', dto.location.trim());
      if (dto.target !== undefined) put('target', dto.target);
      if (dto.focus !== undefined) put('focus', dto.focus);
      if (dto.requirements !== undefined) put('requirements', JSON.stringify(dto.requirements));
      if (dto.source !== undefined) put('source', dto.source.trim() || '本刊');
      if (dto.notes !== undefined) put('notes', dto.notes);
      put('updated_at', this.clock.now());
      await em.query(`UPDATE inspections SET ${sets.join(', ')} WHERE id = $1`, params);
      await this.replaceLinks(em, id, dto.participatingUnitIds, dto.siteIds);
      return this.get(p, id, em);
    });
  }

  /**
   * 作废 (office): an inspection logged by mistake. The row stays with who, when and why; lists
   * show it marked and the 快报 leaves it out. Its tasks are not touched: each has its own
   * lifecycle (cancel, mark duplicate), and a real problem found on a wrong visit is still real.
   */
  async void(p: Principal, id: string, reason: string): Promise<InspectionDto> {
    return this.tx.withTransaction(async (em) => {
      const [current] = (await em.query(
        'SELECT voided_at FROM inspections WHERE id = $1 FOR UPDATE',
        [id],
      )) as { voided_at: Date | null }[];
      if (!current) throw notFound();
      if (current.voided_at) throw voided();
      await em.query(
        'UPDATE inspections SET voided_at = $2, voided_by = $3, void_reason = $4, updated_at = $2 WHERE id = $1',
        [id, this.clock.now(), p.id, reason.trim()],
      );
      return this.get(p, id, em);
    });
  }

  async get(p: Principal, id: string, em: EntityManager = this.ds.manager): Promise<InspectionDto> {
    const [row] = await this.query(p, new SqlWhere().add('i.id = ?', id), 1, em);
    if (!row) throw notFound();
    return toDto(row);
  }

  async list(
    p: Principal,
    q: ListInspectionsQuery,
  ): Promise<{ items: InspectionDto[]; nextCursor: string | null }> {
    const limit = q.limit ?? 50;
    const where = new SqlWhere();
    if (q.kind) where.add('i.kind = ?', q.kind);
    if (q.from) where.add('i.held_on >= ?::date', q.from);
    if (q.to) where.add('i.held_on <= ?::date', q.to);
    if (q.cursor) {
      const [heldOn, cid] = decodeCursor(q.cursor, 2);
      where.add('(i.held_on, i.id) < (?::date, ?::uuid)', heldOn, cid);
    }
    const rows = await this.query(p, where, limit + 1, this.ds.manager);
    const page = toPage(rows, limit, (r) => [r.held_on, r.id]);
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }

  private async query(
    p: Principal,
    where: SqlWhere,
    limit: number,
    em: EntityManager,
  ): Promise<InspectionRow[]> {
    let taskScope = '';
    if (p.role === 'unit') {
      const unit = where.param(p.unitId);
      taskScope = `AND t.unit_id = ${unit}`;
      where.add(`(EXISTS (SELECT 1 FROM inspection_units iu WHERE iu.inspection_id = i.id AND iu.unit_id = ${unit})
                  OR EXISTS (SELECT 1 FROM tasks t WHERE t.inspection_id = i.id AND t.unit_id = ${unit}))`);
    }
    const sql = `
      SELECT i.id, i.kind, i.activity, i.lead_persons, i.lead_rank, i.accompanying, to_char(i.held_on, 'YYYY-MM-DD') AS held_on,
             i.location, i.target, i.focus, i.requirements, i.source, i.notes, i.created_by, i.created_at, i.updated_at,
             i.voided_at, i.voided_by, i.void_reason,
             coalesce((SELECT json_agg(json_build_object('id', u.id, 'name', u.name) ORDER BY iu.position)
                         FROM inspection_units iu JOIN units u ON u.id = iu.unit_id WHERE iu.inspection_id = i.id), '[]') AS units,
             coalesce((SELECT json_agg(json_build_object('id', s.id, 'name', s.name) ORDER BY isi.position)
                         FROM inspection_sites isi JOIN sites s ON s.id = isi.site_id WHERE isi.inspection_id = i.id), '[]') AS sites,
             coalesce((SELECT array_agg(t.id ORDER BY t.number) FROM tasks t WHERE t.inspection_id = i.id ${taskScope}), '{}') AS task_ids,
             (SELECT count(*)::int FROM tasks t WHERE t.inspection_id = i.id AND t.status = 'closed' ${taskScope}) AS closed,
             (SELECT count(*)::int FROM tasks t WHERE t.inspection_id = i.id AND t.status NOT IN ('closed', 'cancelled') ${taskScope}) AS open
        FROM inspections i
       ${where}
       ORDER BY i.held_on DESC, i.id DESC
       LIMIT ${limit}`;
    return (await em.query(sql, where.params)) as InspectionRow[];
  }

  /** Replaces the participating units and visited sites when given, keeping their order. */
  private async replaceLinks(
    em: EntityManager,
    id: string,
    unitIds?: string[],
    siteIds?: string[],
  ): Promise<void> {
    if (unitIds) {
      // By id or by code (see IsIdOrCode), in the order given.
      const found = (await em.query(
        'SELECT id::text, code FROM units WHERE (id::text = ANY($1) OR code = ANY($1)) AND active',
        [unitIds.map((u) => (isUuid(u) ? u.toLowerCase() : u))],
      )) as { id: string; code: string }[];
      const idOf = (ref: string): string | undefined =>
        found.find((u) => (isUuid(ref) ? u.id === ref.toLowerCase() : u.code === ref))?.id;
      const resolved = unitIds.map(idOf);
      if (resolved.some((id) => id === undefined))
        throw invalidField('participatingUnitIds', '有单位不存在或已停用', 'unitExists');
      const unique = [...new Set(resolved as string[])];
      await em.query('DELETE FROM inspection_units WHERE inspection_id = $1', [id]);
      await em.query(
        'INSERT INTO inspection_units (inspection_id, unit_id, position) SELECT $1, u, p FROM unnest($2::uuid[]) WITH ORDINALITY AS x(u, p)',
        [id, unique],
      );
    }
    if (siteIds) {
      // By id or by code, as the units above.
      const found = (await em.query(
        'SELECT id::text, code FROM sites WHERE id::text = ANY($1) OR code = ANY($1)',
        [siteIds.map((s) => (isUuid(s) ? s.toLowerCase() : s))],
      )) as { id: string; code: string | null }[];
      const idOf = (ref: string): string | undefined =>
        found.find((s) => (isUuid(ref) ? s.id === ref.toLowerCase() : s.code === ref))?.id;
      const resolved = siteIds.map(idOf);
      if (resolved.some((id) => id === undefined))
        throw invalidField('siteIds', '有点位不存在', 'siteExists');
      const unique = [...new Set(resolved as string[])];
      await em.query('DELETE FROM inspection_sites WHERE inspection_id = $1', [id]);
      await em.query(
        'INSERT INTO inspection_sites (inspection_id, site_id, position) SELECT $1, s, p FROM unnest($2::uuid[]) WITH ORDINALITY AS x(s, p)',
        [id, unique],
      );
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
