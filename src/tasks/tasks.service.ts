import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AttachmentsService } from '../attachments/attachments.service.js';
import { CategoriesService } from '../catalog/categories.service.js';
import { SitesService } from '../catalog/sites.service.js';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../common/clock.js';
import { DomainError, invalidField } from '../common/errors/domain-error.js';
import { hashRequest, onceForKey } from '../database/idempotency.js';
import { readAfterCommit, TransactionRunner } from '../database/transaction.js';
import { API_PREFIX } from '../common/http/api-prefix.js';
import { UnitsService } from '../units/units.service.js';
import { DeadlineService } from './deadline/deadline.service.js';
import type { CreateTaskDto } from './dto/create-task.dto.js';
import type { TaskDetailDto } from './dto/task-output.dto.js';
import { TaskEventWriter } from './task-event.writer.js';
import { TaskErrorCode } from './task-errors.js';
import { NEW_TASK_NUMBER_PREFIX } from './task-numbering.js';
import { TaskReader } from './task-reader.js';
import { parseInstantOrNull } from '../common/time/iso-time.js';

/** Creating tasks: validation, routing to a unit and deadline, numbering, the first event. */
@Injectable()
export class TasksService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly reader: TaskReader,
    private readonly events: TaskEventWriter,
    private readonly deadlines: DeadlineService,
    private readonly categories: CategoriesService,
    private readonly sites: SitesService,
    private readonly units: UnitsService,
    private readonly attachments: AttachmentsService,
    private readonly clock: Clock,
  ) {}

  /** `POST /tasks`; with an Idempotency-Key a retried request returns the first result. */
  async create(
    principal: Principal,
    dto: CreateTaskDto,
    idempotencyKey?: string,
  ): Promise<TaskDetailDto> {
    // The transaction does only the writes: the year's number counter stays locked until commit,
    // so reading the task back inside it would hold every other create waiting. A replayed
    // request gets the task as it is now.
    const { result } = await this.tx.withTransaction((em) =>
      onceForKey(
        em,
        `tasks:${principal.kind}:${principal.id}`,
        idempotencyKey,
        hashRequest(dto),
        async () => {
          const id = await this.createInTransaction(
            em,
            principal,
            dto,
            dto.inspectionId ?? null,
            'beforePhotoIds',
          );
          return { id };
        },
      ),
    );
    return readAfterCommit(result.id, `/${API_PREFIX}/tasks/${result.id}`, () =>
      this.reader.detail(principal, result.id),
    );
  }

  /**
   * Creates one task inside the caller's transaction and returns its id. Routing: the office's
   * explicit unit, else the site's default unit; with a unit the deadline follows the category's
   * 时限 (or the office's override), without one the task waits in pending_dispatch.
   */
  async createInTransaction(
    em: EntityManager,
    principal: Principal,
    dto: CreateTaskDto,
    inspectionId: string | null,
    photoField: string,
  ): Promise<string> {
    if (principal.role !== 'admin' && (dto.unitId || dto.deadline)) {
      const field = dto.unitId ? 'unitId' : 'deadline';
      throw new DomainError(
        'forbidden',
        TaskErrorCode.OFFICE_ONLY_FIELD,
        `${field}: 只有创城办可以指定责任单位或整改时限`,
        {
          errors: [{ field, code: 'officeOnly', message: '只有创城办可以指定' }],
        },
      );
    }
    if (!dto.siteId && !dto.address)
      throw invalidField('address', '请选择点位或填写地址', 'siteOrAddress');
    const category = await this.categories.getActive(dto.categoryId, 'categoryId', em);
    const site = dto.siteId ? await this.sites.getActive(dto.siteId, 'siteId', em) : null;
    if (inspectionId) {
      const found = (await em.query(
        'SELECT 1 FROM inspections WHERE id = $1 AND voided_at IS NULL',
        [inspectionId],
      )) as unknown[];
      if (!found.length)
        throw invalidField('inspectionId', '督导检查不存在或已作废', 'inspectionExists');
    }
    const photoIds = dto.beforePhotoIds ?? [];
    await this.attachments.assertUsable(em, photoIds, principal, photoField);
    // A site's default unit that has been deactivated routes nowhere: the office dispatches.
    const unitId = dto.unitId
      ? (await this.units.lockActiveForWork(em, dto.unitId, 'unitId')).id
      : site?.defaultUnitId
        ? ((await this.units.lockIfActive(em, site.defaultUnitId))?.id ?? null)
        : null;
    const now = this.clock.now();
    let deadline: Date | null = null;
    if (unitId) {
      deadline = dto.deadline
        ? this.futureDeadline(dto.deadline, now, 'deadline')
        : this.deadlines.deadlineFrom(now, category.deadlineRule);
    }
    // The real number is assigned inside COMMIT by a deferred trigger (migration
    // RectificationLoop): the year's counter row is locked only for the commit, and numbers
    // stay gapless because a rolled-back create never reaches it.
    const placeholder = `${NEW_TASK_NUMBER_PREFIX}${randomBytes(6).toString('hex')}`;
    const status = unitId ? 'assigned' : 'pending_dispatch';
    const [row] = (await em.query(
      `INSERT INTO tasks (number, inspection_id, category_id, site_id, address, lat, lng, description, unit_id, status,
                          assigned_at, deadline, assessed_deadline, deadline_overridden, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, $15) RETURNING id`,
      [
        placeholder,
        inspectionId,
        category.id,
        site?.id ?? null,
        dto.address?.trim() ?? site?.address ?? null,
        dto.lat ?? site?.lat ?? null,
        dto.lng ?? site?.lng ?? null,
        dto.description.trim(),
        unitId,
        status,
        unitId ? now : null,
        deadline,
        !!dto.deadline,
        principal.kind === 'user' ? principal.id : null,
        now,
      ],
    )) as { id: string }[];
    await this.events.record(em, {
      taskId: row.id,
      action: 'create',
      from: null,
      to: status,
      actor: principal,
      data: {
        unitId,
        deadline: deadline?.toISOString() ?? null,
        routed: unitId ? (dto.unitId ? 'office' : 'site') : 'none',
      },
      photos: { ids: photoIds, role: 'before' },
    });
    return row.id;
  }

  /** An explicit deadline must be a real instant in the future. */
  futureDeadline(value: string, now: Date, field: string): Date {
    const d = parseInstantOrNull(value);
    if (!d || d <= now) {
      throw new DomainError(
        'invalid',
        TaskErrorCode.INVALID_DEADLINE,
        `${field}: 整改时限必须晚于当前时间`,
        {
          errors: [{ field, code: 'futureDate', message: '整改时限必须晚于当前时间' }],
        },
      );
    }
    return d;
  }
}
