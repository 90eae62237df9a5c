import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AttachmentsService } from '../attachments/attachments.service.js';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../common/clock.js';
import { CommonErrorCode, DomainError, invalidField } from '../common/errors/domain-error.js';
import { decodeCursor, toPage } from '../common/http/pagination.js';
import { versionConflict } from '../common/http/versioning.js';
import { dbOf, type Db } from '../database/kysely.js';
import { TransactionRunner } from '../database/transaction.js';
import { printedLength } from '../reports/bulletin/info-sections.js';
import type {
  AdoptInfoItemDto,
  InfoColumnsDto,
  InfoItemContentDto,
  InfoItemDetailDto,
  InfoItemDto,
  InfoItemPageDto,
  ListInfoItemsQuery,
} from './dto/info-item.dto.js';
import { InfoColumns } from './info-columns.js';
import { illegalInfoTransition, infoItemNotFound } from './info-item-errors.js';
import { transitionOf, type InfoItemAction, type InfoItemStatus } from './info-item-lifecycle.js';
import {
  infoItemsRepository as items,
  type InfoContent,
  type InfoItemRow,
} from './info-items.repository.js';

/** The unit a principal acts for; only units and the office reach this service. */
function scopeOf(p: Principal): string | undefined {
  if (p.role === 'admin') return undefined;
  if (p.role === 'unit' && p.unitId) return p.unitId;
  throw new DomainError('forbidden', CommonErrorCode.FORBIDDEN, '无权访问信息报送');
}

function actorOf(p: Principal) {
  return { kind: p.kind, id: p.id, name: p.displayName, role: p.role };
}

/**
 * 信息报送: a unit's 信息员 submits items, sees their status and edits, withdraws or resubmits
 * them; the office reads every unit's, edits, adopts (采用) or returns (退回, with a reason).
 * Every change is one transaction: the row locked, the state checked against the lifecycle
 * table, the version checked, the row and its photos written, and an event appended to the
 * item's trail. Another unit's item is 404, as if it did not exist. Publication (已刊发) happens
 * when the 快报 that prints the item is published (info-bulletin.service.ts).
 */
@Injectable()
export class InfoItemsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly columns: InfoColumns,
    private readonly attachments: AttachmentsService,
  ) {}

  columnList(): InfoColumnsDto {
    return {
      briefMaxChars: this.columns.briefMaxChars,
      columns: this.columns.columns.map(({ code, name, briefLabel }) => ({
        code,
        name,
        briefLabel,
      })),
    };
  }

  async create(p: Principal, dto: InfoItemContentDto): Promise<InfoItemDetailDto> {
    const unitId = scopeOf(p);
    if (unitId === undefined) {
      throw new DomainError('forbidden', CommonErrorCode.FORBIDDEN, '信息由责任单位报送');
    }
    const content = this.contentOf(dto);
    return this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      const photos = await this.photosOf(em, p, dto.photoIds);
      const now = this.clock.now();
      const id = await items.insert(db, unitId, content, actorOf(p), now);
      await items.setPhotos(db, id, photos);
      await items.insertEvent(db, {
        itemId: id,
        action: 'submit',
        from: null,
        to: 'pending',
        actor: actorOf(p),
        at: now,
      });
      return this.detail(db, id, unitId);
    });
  }

  async list(p: Principal, q: ListInfoItemsQuery): Promise<InfoItemPageDto> {
    const scope = scopeOf(p);
    const limit = q.limit ?? 50;
    let before: { at: Date; id: string } | undefined;
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor, 2);
      if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at))) {
        throw invalidField('cursor', 'cursor is not valid for this list', 'isCursor');
      }
      before = { at: new Date(at), id };
    }
    if (q.from && q.to && q.from > q.to) {
      throw invalidField('to', 'to 不能早于 from', 'isAfterFrom');
    }
    const rows = await items.list(dbOf(this.ds.manager), {
      // A unit's filter by unitId cannot widen its scope.
      unitId: scope ?? q.unitId,
      status: q.status,
      column: q.column,
      from: q.from,
      to: q.to,
      before,
      limit: limit + 1,
    });
    const page = toPage(rows, limit, (r) => [r.submitted_at.toISOString(), r.id]);
    return { items: page.items.map((r) => this.toDto(r)), nextCursor: page.nextCursor };
  }

  get(p: Principal, id: string): Promise<InfoItemDetailDto> {
    return this.detail(dbOf(this.ds.manager), id, scopeOf(p));
  }

  /** A unit edits while 待审 or 已退回; the office while 待审 or 已采用. */
  update(
    p: Principal,
    id: string,
    version: number,
    dto: InfoItemContentDto,
  ): Promise<InfoItemDetailDto> {
    const content = this.contentOf(dto);
    return this.change(p, id, version, 'edit', async (em) => {
      const db = dbOf(em);
      const photos = await this.photosOf(em, p, dto.photoIds);
      await items.update(db, id, this.columnsOf(content), this.clock.now());
      await items.setPhotos(db, id, photos);
      return { data: { photoIds: photos } };
    });
  }

  withdraw(p: Principal, id: string, version: number): Promise<InfoItemDetailDto> {
    return this.change(p, id, version, 'withdraw', async (em) => {
      await items.update(dbOf(em), id, { status: 'withdrawn' }, this.clock.now());
      return {};
    });
  }

  /** A returned item, possibly corrected, back to the office: 待审 again, the reason cleared. */
  resubmit(
    p: Principal,
    id: string,
    version: number,
    dto: InfoItemContentDto,
  ): Promise<InfoItemDetailDto> {
    const content = this.contentOf(dto);
    return this.change(p, id, version, 'resubmit', async (em) => {
      const db = dbOf(em);
      const photos = await this.photosOf(em, p, dto.photoIds);
      const now = this.clock.now();
      await items.update(
        db,
        id,
        { ...this.columnsOf(content), status: 'pending', return_reason: null, submitted_at: now },
        now,
      );
      await items.setPhotos(db, id, photos);
      return {};
    });
  }

  /** 采用, optionally with the office's edit of the text: it goes into the next 快报. */
  adopt(
    p: Principal,
    id: string,
    version: number,
    dto: AdoptInfoItemDto,
  ): Promise<InfoItemDetailDto> {
    if (dto.column !== undefined) this.columns.require(dto.column, 'column');
    return this.change(p, id, version, 'adopt', async (em) => {
      const now = this.clock.now();
      const edits = {
        ...(dto.title !== undefined && { title: dto.title }),
        ...(dto.text !== undefined && { body: dto.text }),
        ...(dto.column !== undefined && { column_code: dto.column }),
        ...(dto.kind !== undefined && { kind: dto.kind === '' ? null : dto.kind }),
      };
      await items.update(
        dbOf(em),
        id,
        { ...edits, status: 'adopted', adopted_at: now, reviewed_by: p.id, reviewed_at: now },
        now,
      );
      return { data: { edited: Object.keys(edits) } };
    });
  }

  /** 退回 with the reason the unit reads; an adopted item not yet printed may be returned too. */
  returnItem(
    p: Principal,
    id: string,
    version: number,
    reason: string,
  ): Promise<InfoItemDetailDto> {
    return this.change(p, id, version, 'return', async (em) => {
      const now = this.clock.now();
      await items.update(
        dbOf(em),
        id,
        {
          status: 'returned',
          return_reason: reason,
          adopted_at: null,
          reviewed_by: p.id,
          reviewed_at: now,
        },
        now,
      );
      return { note: reason };
    });
  }

  /**
   * The frame of every change: lock within scope (404), the lifecycle (409 ILLEGAL_TRANSITION),
   * the version (409 VERSION_CONFLICT), then `work`, then the event — one transaction.
   */
  private change(
    p: Principal,
    id: string,
    version: number,
    action: InfoItemAction,
    work: (em: EntityManager) => Promise<{ note?: string; data?: Record<string, unknown> }>,
  ): Promise<InfoItemDetailDto> {
    const scope = scopeOf(p);
    return this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      const row = await items.lock(db, id, scope);
      if (!row) throw infoItemNotFound();
      const t = transitionOf(action, row.status, p.role);
      if (!t.ok) {
        if (t.reason === 'role') {
          throw new DomainError('forbidden', CommonErrorCode.FORBIDDEN, '无权进行此操作');
        }
        throw illegalInfoTransition(action, row.status);
      }
      if (row.version !== version) throw versionConflict('信息', row.version);
      const done = await work(em);
      await items.insertEvent(db, {
        itemId: id,
        action,
        from: row.status,
        to: t.to,
        actor: actorOf(p),
        note: done.note ?? null,
        data: done.data,
        at: this.clock.now(),
      });
      return this.detail(db, id, scope);
    });
  }

  private contentOf(dto: InfoItemContentDto): InfoContent {
    this.columns.require(dto.column, 'column');
    return {
      column: dto.column,
      kind: dto.kind === undefined || dto.kind === '' ? null : dto.kind,
      title: dto.title,
      body: dto.text,
      workDate: dto.workDate,
    };
  }

  private columnsOf(c: InfoContent) {
    return {
      column_code: c.column,
      kind: c.kind,
      title: c.title,
      body: c.body,
      work_date: c.workDate,
    };
  }

  private async photosOf(em: EntityManager, p: Principal, ids: string[] | undefined) {
    const rows = await this.attachments.assertUsable(em, ids ?? [], p, 'photoIds');
    return rows.map((a) => a.id);
  }

  private async detail(db: Db, id: string, unitId: string | undefined): Promise<InfoItemDetailDto> {
    const [row] = await items.list(db, { id, unitId });
    if (!row) throw infoItemNotFound();
    const events = await items.events(db, id);
    return {
      ...this.toDto(row),
      events: events.map((e) => ({
        action: e.action,
        statusBefore: e.from_status as InfoItemStatus | null,
        statusAfter: e.to_status as InfoItemStatus,
        actorName: e.actor_name,
        note: e.note,
        at: new Date(e.created_at).toISOString(),
      })),
    };
  }

  private toDto(r: InfoItemRow): InfoItemDto {
    return {
      id: r.id,
      unitId: r.unit_id,
      unitName: r.unit_name,
      column: r.column_code,
      columnName: this.columns.nameOf(r.column_code),
      kind: r.kind,
      title: r.title,
      text: r.body,
      workDate: r.work_date,
      status: r.status,
      returnReason: r.return_reason,
      ownItem: printedLength(r.body) > this.columns.briefMaxChars,
      issueNumber: r.issue_number,
      photos: r.photos,
      submittedByName: r.submitted_by_name,
      submittedAt: r.submitted_at.toISOString(),
      adoptedAt: r.adopted_at?.toISOString() ?? null,
      publishedAt: r.published_at?.toISOString() ?? null,
      version: r.version,
      updatedAt: r.updated_at.toISOString(),
    };
  }
}
