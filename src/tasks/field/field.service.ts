import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AttachmentsService } from '../../attachments/attachments.service.js';
import { CategoriesService } from '../../catalog/categories.service.js';
import type { Principal, Role } from '../../common/auth/principal.js';
import { invalidField } from '../../common/errors/domain-error.js';
import { Clock } from '../../common/clock.js';
import { hashRequest, onceForKey } from '../../database/idempotency.js';
import { dbOf } from '../../database/kysely.js';
import { SqlWhere } from '../../database/sql-where.js';
import { TransactionRunner } from '../../database/transaction.js';
import { TransitionRunner } from '../actions/transition-runner.js';
import { conditionOf } from '../data/sql-where.js';
import { lockTask } from '../data/tasks.repository.js';
import { DeadlineService } from '../deadline/deadline.service.js';
import type { TaskEventDto } from '../dto/task-output.dto.js';
import { FIELD_TIME_MAX_AGE_DAYS, fieldTime } from '../field-time.js';
import { actionForbidden, illegalTransition, taskNotFound } from '../task-errors.js';
import { scopeToPrincipal } from '../task-filter.js';
import { OPEN_STATUSES, statusLabel } from '../task-lifecycle.js';
import { toTaskEventDto, toTaskSummary } from '../task-summary.js';
import type {
  CreateObservationDto,
  NearbyCheckListDto,
  NearbyChecksQuery,
  NearbyTaskDto,
  NearbyTaskListDto,
  NearbyTasksQuery,
} from './field.dto.js';
import {
  openTasksNear,
  taskEventById,
  tasksAwaitingCheckNear,
  type NearbyTaskRow,
} from './field.repository.js';

/** The event action of an observation (补充现场记录); not a lifecycle action: no state changes. */
export const OBSERVE_ACTION = 'observe';
/** Who may add an observation: those who find problems and check them, not the units. */
const OBSERVERS: readonly Role[] = ['admin', 'inspector'];

/**
 * What the inspector's phone asks of the server on a visit: open tasks near a new problem (the
 * duplicate hint), tasks awaiting a 复查 nearest first, and an observation added to an open task.
 */
@Injectable()
export class FieldService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly tx: TransactionRunner,
    private readonly runner: TransitionRunner,
    private readonly deadlines: DeadlineService,
    private readonly categories: CategoriesService,
    private readonly attachments: AttachmentsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Open tasks of the category within its duplicate radius of the point, found or created in
   * the last 30 days, that the caller may see (a unit: its own), nearest first.
   */
  async nearby(p: Principal, q: NearbyTasksQuery): Promise<NearbyTaskListDto> {
    const category = await this.categories.getActive(q.categoryId, 'categoryId');
    const now = this.clock.now();
    const rows = await openTasksNear(dbOf(this.ds.manager), {
      point: { lat: q.lat, lng: q.lng },
      categoryId: category.id,
      radiusM: category.duplicateRadiusM,
      since: new Date(now.getTime() - FIELD_TIME_MAX_AGE_DAYS * 86_400_000),
      visible: this.visibleTo(p),
      limit: q.limit ?? 20,
    });
    return {
      items: rows.map((r) => this.nearbyDto(r, now)),
      radiusM: category.duplicateRadiusM,
    };
  }

  /** Tasks awaiting a 复查 (the caller's role may check: see the controller), nearest first. */
  async checksNearby(p: Principal, q: NearbyChecksQuery): Promise<NearbyCheckListDto> {
    const now = this.clock.now();
    const rows = await tasksAwaitingCheckNear(dbOf(this.ds.manager), {
      point: { lat: q.lat, lng: q.lng },
      visible: this.visibleTo(p),
      limit: q.limit ?? 50,
    });
    return { items: rows.map((r) => this.nearbyDto(r, now)) };
  }

  /**
   * 补充现场记录: one event (`observe`) on an open task, its photos joining the task's
   * before-photos, in one transaction; with an Idempotency-Key a retry answers the first event.
   *
   * The task's `version` (and `updated_at`) stay as they are: an observation changes no state
   * and no field a client acts on, and a bump would make the unit's submission, prepared
   * against the version it read, fail with 409 because an inspector added a photo meanwhile.
   * The row is still locked, so an observation never lands on a task a concurrent action is
   * closing or cancelling.
   */
  async observe(
    p: Principal,
    taskId: string,
    dto: CreateObservationDto,
    idempotencyKey?: string,
  ): Promise<TaskEventDto> {
    const { result } = await this.tx.withTransaction((em) =>
      onceForKey(
        em,
        `task-observations:${p.kind}:${p.id}`,
        idempotencyKey,
        hashRequest({ taskId, ...dto }),
        async () => {
          const db = dbOf(em);
          const task = await lockTask(db, taskId, p.role === 'unit' ? p.unitId : null);
          if (!task) throw taskNotFound();
          if (!OBSERVERS.includes(p.role)) {
            throw actionForbidden('只有督导员和创城办可以补充现场记录');
          }
          if (!OPEN_STATUSES.includes(task.status)) {
            throw illegalTransition(
              `任务当前状态为「${statusLabel(task.status)}」，不能补充现场记录`,
              task.status,
              OBSERVE_ACTION,
            );
          }
          const note = dto.note || null;
          const requested = dto.photoIds ?? [];
          if (!note && requested.length === 0) {
            throw invalidField('note', '请填写说明或上传照片', 'noteOrPhoto');
          }
          if ((dto.lat === undefined) !== (dto.lng === undefined)) {
            const missing = dto.lat === undefined ? 'lat' : 'lng';
            throw invalidField(missing, '位置须同时给出纬度和经度', 'latLngPair');
          }
          const observedAt = fieldTime(dto.observedAt, this.clock.now(), 'observedAt');
          const photos = await this.attachments.assertUsable(em, requested, p, 'photoIds');
          const photoIds = photos.map((a) => a.id);
          const eventId = await this.runner.record(db, {
            taskId: task.id,
            action: OBSERVE_ACTION,
            from: task.status,
            to: task.status,
            actor: p,
            note,
            data: {
              unitId: task.unit_id,
              observedAt: observedAt.toISOString(),
              position:
                dto.lat !== undefined && dto.lng !== undefined
                  ? { lat: dto.lat, lng: dto.lng }
                  : null,
              photoIds,
            },
            photos: { ids: photoIds, role: 'before' },
          });
          return toTaskEventDto(await taskEventById(db, eventId));
        },
      ),
    );
    return result;
  }

  private visibleTo(p: Principal) {
    return conditionOf(scopeToPrincipal(new SqlWhere(), p));
  }

  private nearbyDto(r: NearbyTaskRow, now: Date): NearbyTaskDto {
    return {
      ...toTaskSummary(r, (assignedAt, deadline) =>
        this.deadlines.assess(assignedAt, deadline, now),
      ),
      distanceM: r.distance_m === null ? null : Math.round(r.distance_m * 10) / 10,
      firstBeforePhotoId: r.first_before_photo_id,
    };
  }
}
