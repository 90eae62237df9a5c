import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AttachmentsService } from '../attachments/attachments.service.js';
import { CategoriesService } from '../catalog/categories.service.js';
import { SitesService } from '../catalog/sites.service.js';
import { TaskSources } from '../catalog/task-sources.js';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../common/clock.js';
import { API_PREFIX } from '../common/http/api-prefix.js';
import { hashRequest, onceForKey } from '../database/idempotency.js';
import { dbOf } from '../database/kysely.js';
import { readAfterCommit, TransactionRunner } from '../database/transaction.js';
import { UnitsService } from '../units/units.service.js';
import { futureDeadline } from './actions/deadline-input.js';
import { TransitionRunner } from './actions/transition-runner.js';
import { inspectionStands, insertTask } from './data/tasks.repository.js';
import { DeadlineService } from './deadline/deadline.service.js';
import type { CreateTaskDto } from './dto/create-task.dto.js';
import type { TaskDetailDto } from './dto/task-output.dto.js';
import { fieldTime } from './field-time.js';
import {
  inspectionNotUsable,
  latLngPair,
  officeOnlyField,
  siteOrAddressRequired,
} from './task-errors.js';
import type { TaskStatus } from './task-lifecycle.js';
import { NEW_TASK_NUMBER_PREFIX } from './task-numbering.js';
import { RecurrenceService } from './recurrence/recurrence.service.js';
import { TaskReader } from './task-reader.js';

/** Creating tasks: validation, routing to a unit and deadline, numbering, the first event. */
@Injectable()
export class TasksService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly reader: TaskReader,
    private readonly runner: TransitionRunner,
    private readonly deadlines: DeadlineService,
    private readonly categories: CategoriesService,
    private readonly sites: SitesService,
    private readonly units: UnitsService,
    private readonly attachments: AttachmentsService,
    private readonly recurrence: RecurrenceService,
    private readonly clock: Clock,
    private readonly sources: TaskSources,
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
    const { result, replayed } = await this.tx.withTransaction((em) =>
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
    // A task just created has no pending 延期 or 申诉 to look for (a replayed one may have).
    return readAfterCommit(result.id, `/${API_PREFIX}/tasks/${result.id}`, () =>
      this.reader.detail(principal, result.id, { nonePending: !replayed }),
    );
  }

  /**
   * Creates one task inside the caller's transaction and returns its id. Routing: the office's
   * explicit unit, else the site's default unit; with a unit the deadline follows the category's
   * 时限 (or the office's override), without one the task waits in pending_dispatch.
   * `importBatchId`: the confirmed import (导入问题清单) the task comes from, if any.
   */
  async createInTransaction(
    em: EntityManager,
    principal: Principal,
    dto: CreateTaskDto,
    inspectionId: string | null,
    photoField: string,
    foundAtField = 'foundAt',
    importBatchId: string | null = null,
  ): Promise<string> {
    const source = dto.source ?? this.sources.defaultCode;
    // Inspectors log what they find on a visit (督导检查); other roads in are the office's.
    if (
      principal.role !== 'admin' &&
      (dto.unitId || dto.deadline || source !== this.sources.defaultCode)
    ) {
      throw officeOnlyField(dto.unitId ? 'unitId' : dto.deadline ? 'deadline' : 'source');
    }
    this.sources.require(source, 'source');
    if (!dto.siteId && !dto.address) throw siteOrAddressRequired();
    if ((dto.lat === undefined) !== (dto.lng === undefined)) {
      throw latLngPair(dto.lat === undefined ? 'lat' : 'lng');
    }
    const db = dbOf(em);
    const category = await this.categories.getActive(dto.categoryId, 'categoryId', em);
    const site = dto.siteId ? await this.sites.getActive(dto.siteId, 'siteId', em) : null;
    if (inspectionId && !(await inspectionStands(db, inspectionId))) throw inspectionNotUsable();
    const photoIds = dto.beforePhotoIds ?? [];
    await this.attachments.assertUsable(em, photoIds, principal, photoField);
    // A site's default unit that has been deactivated routes nowhere: the office dispatches.
    const unitId = dto.unitId
      ? (await this.units.lockActiveForWork(em, dto.unitId, 'unitId')).id
      : site?.defaultUnitId
        ? ((await this.units.lockIfActive(em, site.defaultUnitId))?.id ?? null)
        : null;
    const now = this.clock.now();
    const foundAt = fieldTime(dto.foundAt, now, foundAtField);
    let deadline: Date | null = null;
    if (unitId) {
      deadline = dto.deadline
        ? futureDeadline(dto.deadline, now, 'deadline')
        : this.deadlines.deadlineFrom(now, category.deadlineRule);
    }
    // The real number is assigned inside COMMIT by a deferred trigger (migration
    // RectificationLoop): the year's counter row is locked only for the commit, and numbers
    // stay gapless because a rolled-back create never reaches it.
    const placeholder = `${NEW_TASK_NUMBER_PREFIX}${randomBytes(6).toString('hex')}`;
    const status: TaskStatus = unitId ? 'assigned' : 'pending_dispatch';
    const siteId = site?.id ?? null;
    const lat = dto.lat ?? site?.lat ?? null;
    const lng = dto.lng ?? site?.lng ?? null;
    // 反弹: the closed task of this category the problem repeats, if any (recurrence-rule.ts).
    const recurrence = await this.recurrence.find(
      db,
      {
        categoryId: category.id,
        siteId,
        position: lat !== null && lng !== null ? { lat, lng } : null,
        foundAt,
      },
      category.recurrenceRadiusM,
    );
    const taskId = await insertTask(db, {
      number: placeholder,
      inspection_id: inspectionId,
      category_id: category.id,
      site_id: siteId,
      address: dto.address?.trim() ?? site?.address ?? null,
      lat,
      lng,
      description: dto.description.trim(),
      unit_id: unitId,
      status,
      assigned_at: unitId ? now : null,
      deadline,
      assessed_deadline: deadline,
      deadline_overridden: !!dto.deadline,
      // Only users create tasks (the office and inspectors; API keys belong to units).
      created_by: principal.id,
      found_at: foundAt,
      recurrence_of_id: recurrence?.task.id ?? null,
      source,
      import_batch_id: importBatchId,
      created_at: now,
      updated_at: now,
    });
    await this.runner.record(db, {
      taskId,
      action: 'create',
      from: null,
      to: status,
      actor: principal,
      data: {
        unitId,
        deadline: deadline?.toISOString() ?? null,
        routed: unitId ? (dto.unitId ? 'office' : 'site') : 'none',
        ...(recurrence
          ? {
              recurrenceOf: {
                id: recurrence.task.id,
                distanceM:
                  recurrence.distanceM === null ? null : Math.round(recurrence.distanceM * 10) / 10,
              },
            }
          : {}),
        source,
        ...(importBatchId ? { importBatchId } : {}),
      },
      photos: { ids: photoIds, role: 'before' },
    });
    if (recurrence) await this.recurrence.recordOnEarlier(db, principal, recurrence, taskId);
    return taskId;
  }
}
