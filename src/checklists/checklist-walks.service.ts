import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AttachmentsService } from '../attachments/attachments.service.js';
import { SitesService } from '../catalog/sites.service.js';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../common/clock.js';
import { CommonErrorCode, DomainError, invalidField } from '../common/errors/domain-error.js';
import { API_PREFIX } from '../common/http/api-prefix.js';
import { hashRequest, onceForKey } from '../database/idempotency.js';
import { dbOf } from '../database/kysely.js';
import { readAfterCommit, TransactionRunner } from '../database/transaction.js';
import { InspectionErrorCode } from '../inspections/inspections.service.js';
import { inspectionsRepository } from '../inspections/inspections.repository.js';
import { fieldTime } from '../tasks/field-time.js';
import { TasksService } from '../tasks/tasks.service.js';
import { checklistToTasks, ChecklistErrorCode } from './checklist-to-tasks.js';
import {
  checklistsRepository as repo,
  type WalkResultRow,
  type WalkRow,
} from './checklists.repository.js';
import type { ChecklistWalkDto, CreateChecklistWalkDto } from './dto/checklist.dto.js';

const inspectionNotFound = (): DomainError =>
  new DomainError('not_found', InspectionErrorCode.INSPECTION_NOT_FOUND, '督导检查不存在');

/**
 * 按清单检查: an inspector (on their own inspection) or the office walks the checklist of a
 * site's kind item by item. One transaction stores the walk and its results, adds the site to
 * the inspection's 点位, and raises one task per failed item through the same path as
 * `POST /tasks` (routing, deadline, numbering, events and what else that path does).
 */
@Injectable()
export class ChecklistWalksService {
  constructor(
    private readonly tx: TransactionRunner,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly tasks: TasksService,
    private readonly sites: SitesService,
    private readonly attachments: AttachmentsService,
    private readonly clock: Clock,
  ) {}

  async walk(
    p: Principal,
    inspectionId: string,
    dto: CreateChecklistWalkDto,
    idempotencyKey?: string,
  ): Promise<ChecklistWalkDto> {
    const { result } = await this.tx.withTransaction((em) =>
      onceForKey(
        em,
        `checklist-walks:${p.kind}:${p.id}`,
        idempotencyKey,
        hashRequest({ inspectionId, ...dto }),
        async () => {
          const db = dbOf(em);
          const inspection = await inspectionsRepository.lock(db, inspectionId);
          if (!inspection) throw inspectionNotFound();
          if (inspection.voided_at) {
            throw new DomainError(
              'conflict',
              InspectionErrorCode.INSPECTION_VOIDED,
              '该督导检查已作废',
            );
          }
          if (p.role === 'inspector' && inspection.created_by !== p.id) {
            throw new DomainError(
              'forbidden',
              CommonErrorCode.FORBIDDEN,
              '督导员只能在自己录入的督导检查中按清单检查',
            );
          }
          const site = await this.sites.getActive(dto.siteId, 'siteId', em);
          const list = await repo.checklistOfKind(db, site.kind);
          if (!list) {
            throw invalidField('siteId', `“${site.kind}”类点位还没有检查清单`, 'hasChecklist');
          }
          const items = await repo.items(db, [list.id]);
          if (!items.some((i) => i.active)) {
            throw invalidField(
              'siteId',
              `“${site.kind}”类点位的检查清单没有启用的检查项`,
              'hasChecklist',
            );
          }
          const { rows, tasks } = checklistToTasks(
            items.map((i) => ({
              id: i.id,
              position: i.position,
              text: i.text,
              categoryId: i.category_id,
              active: i.active,
            })),
            dto.results,
            site.id,
            dto.foundAt,
          );
          const now = this.clock.now();
          const foundAt = fieldTime(dto.foundAt, now, 'foundAt');
          for (const { index, item, answer } of rows) {
            const category = items.find((i) => i.id === item.id);
            if (answer.result === 'fail' && !category?.category_active) {
              throw invalidField(
                `results.${index}.itemId`,
                '该项对应的问题类别已停用，请联系创城办修改清单',
                'categoryActive',
              );
            }
            // A fail's photos are checked by the task path; others' here.
            if (answer.result !== 'fail' && answer.attachmentIds?.length) {
              await this.attachments.assertUsable(
                em,
                answer.attachmentIds,
                p,
                `results.${index}.attachmentIds`,
              );
            }
          }
          const walkId = await repo.insertWalk(db, {
            inspectionId,
            siteId: site.id,
            checklistId: list.id,
            walkedBy: p.id,
            foundAt,
            now,
          });
          const taskOf = new Map<string, string>();
          for (const t of tasks) {
            const taskId = await this.tasks.createInTransaction(
              em,
              p,
              {
                inspectionId,
                categoryId: t.categoryId,
                siteId: t.siteId,
                description: t.description,
                beforePhotoIds: t.beforePhotoIds,
                lat: t.lat,
                lng: t.lng,
                foundAt: t.foundAt,
              },
              inspectionId,
              `results.${t.index}.attachmentIds`,
              'foundAt',
            );
            taskOf.set(t.itemId, taskId);
          }
          await repo.insertResults(
            db,
            rows.map(({ item, answer }) => ({
              walk_id: walkId,
              item_id: item.id,
              position: item.position,
              item_text: item.text,
              category_id: item.categoryId,
              result: answer.result,
              note: answer.note?.trim() || null,
              attachment_ids: (answer.attachmentIds ?? []).map((a) => a.toLowerCase()),
              lat: answer.lat ?? null,
              lng: answer.lng ?? null,
              task_id: taskOf.get(item.id) ?? null,
            })),
          );
          await repo.linkSite(db, inspectionId, site.id);
          return { id: walkId };
        },
      ),
    );
    // Read after commit: task numbers are assigned at commit.
    return readAfterCommit(
      result.id,
      `/${API_PREFIX}/inspections/${inspectionId}/checklist-walks`,
      async () => {
        const [walk] = await this.read({ walkId: result.id });
        if (!walk) {
          throw new DomainError(
            'not_found',
            ChecklistErrorCode.CHECKLIST_WALK_NOT_FOUND,
            '检查记录不存在',
          );
        }
        return walk;
      },
    );
  }

  async ofInspection(inspectionId: string): Promise<ChecklistWalkDto[]> {
    const found = await dbOf(this.ds.manager)
      .selectFrom('inspections')
      .select('id')
      .where('id', '=', inspectionId)
      .executeTakeFirst();
    if (!found) throw inspectionNotFound();
    return this.read({ inspectionId });
  }

  async ofSite(siteId: string): Promise<ChecklistWalkDto[]> {
    if (!(await repo.siteExists(dbOf(this.ds.manager), siteId))) {
      throw new DomainError('not_found', CommonErrorCode.NOT_FOUND, '点位不存在');
    }
    return this.read({ siteId });
  }

  private async read(where: {
    inspectionId?: string;
    siteId?: string;
    walkId?: string;
  }): Promise<ChecklistWalkDto[]> {
    const db = dbOf(this.ds.manager);
    const walks = await repo.walks(db, where);
    const results = await repo.results(
      db,
      walks.map((w) => w.id),
    );
    return walks.map((w) =>
      toDto(
        w,
        results.filter((r) => r.walk_id === w.id),
      ),
    );
  }
}

function toDto(w: WalkRow, results: WalkResultRow[]): ChecklistWalkDto {
  const count = (r: string): number => results.filter((x) => x.result === r).length;
  return {
    id: w.id,
    inspectionId: w.inspection_id,
    site: { id: w.site_id, name: w.site_name, kind: w.site_kind },
    checklistId: w.checklist_id,
    checklistName: w.checklist_name,
    walkedBy: w.walked_by,
    walkedByName: w.walked_by_name,
    foundAt: w.found_at.toISOString(),
    createdAt: w.created_at.toISOString(),
    counts: { pass: count('pass'), fail: count('fail'), na: count('na') },
    results: results.map((r) => ({
      itemId: r.item_id,
      position: r.position,
      text: r.item_text,
      categoryId: r.category_id,
      categoryName: r.category_name,
      result: r.result,
      note: r.note,
      attachmentIds: r.attachment_ids,
      lat: r.lat,
      lng: r.lng,
      taskId: r.task_id,
      taskNumber: r.task_number,
    })),
  };
}
