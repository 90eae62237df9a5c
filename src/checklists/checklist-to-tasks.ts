import { CommonErrorCode, DomainError, invalidField } from '../common/errors/domain-error.js';

export const WALK_RESULTS = ['pass', 'fail', 'na'] as const;
export type WalkResult = (typeof WALK_RESULTS)[number];

/** An item of the site kind's checklist, as the walk sees it. */
export interface WalkItem {
  id: string;
  position: number;
  text: string;
  categoryId: string;
  active: boolean;
}

/** One answer of a walk, as the client sent it. */
export interface WalkAnswer {
  itemId: string;
  result: WalkResult;
  note?: string;
  attachmentIds?: string[];
  lat?: number;
  lng?: number;
}

/** A task a failed item raises, ready for the task-creation path (`TasksService.createInTransaction`). */
export interface TaskDraft {
  /** Index of the answer in `results`, for field names in errors (`results.N.attachmentIds`). */
  index: number;
  itemId: string;
  categoryId: string;
  siteId: string;
  description: string;
  beforePhotoIds: string[];
  lat?: number;
  lng?: number;
  foundAt?: string;
}

/** One stored result row of the walk. */
export interface ResultRow {
  index: number;
  item: WalkItem;
  answer: WalkAnswer;
}

export enum ChecklistErrorCode {
  CHECKLIST_NOT_FOUND = 'CHECKLIST_NOT_FOUND',
  CHECKLIST_ITEM_NOT_FOUND = 'CHECKLIST_ITEM_NOT_FOUND',
  CHECKLIST_ITEM_IN_USE = 'CHECKLIST_ITEM_IN_USE',
  CHECKLIST_WALK_NOT_FOUND = 'CHECKLIST_WALK_NOT_FOUND',
}

/** The description of a task raised by a failed item: what the item asks, then what was seen. */
export function failureDescription(itemText: string, note?: string): string {
  const seen = note?.trim();
  return seen ? `清单检查未达标：${itemText}。${seen}` : `清单检查未达标：${itemText}`;
}

/**
 * 按清单检查 → 整改任务: checks a walk's answers against the checklist of the site's kind and
 * returns the result rows and one task draft per failed item, in checklist order.
 *
 * Every active item must be answered exactly once, and only items of this checklist (an inactive
 * item is not asked any more: answering it is refused like a foreign item); a failure needs a
 * photo. The first problem found is thrown as a 400 naming the field (`results`,
 * `results.N.itemId`, `results.N.attachmentIds`, `results.N.lat`). Pure: no database, no clock.
 */
export function checklistToTasks(
  items: readonly WalkItem[],
  answers: readonly WalkAnswer[],
  siteId: string,
  foundAt?: string,
): { rows: ResultRow[]; tasks: TaskDraft[] } {
  const byId = new Map(items.filter((i) => i.active).map((i) => [i.id.toLowerCase(), i]));
  const seen = new Set<string>();
  const rows: ResultRow[] = [];
  answers.forEach((answer, index) => {
    const id = answer.itemId.toLowerCase();
    const item = byId.get(id);
    if (!item) {
      throw invalidField(
        `results.${index}.itemId`,
        '该项不在此类点位的检查清单中',
        'itemInChecklist',
      );
    }
    if (seen.has(id)) {
      throw invalidField(`results.${index}.itemId`, '同一检查项只能回答一次', 'answeredOnce');
    }
    seen.add(id);
    if ((answer.lat === undefined) !== (answer.lng === undefined)) {
      const field = answer.lat === undefined ? 'lat' : 'lng';
      throw invalidField(`results.${index}.${field}`, '经纬度必须同时提供', 'latLngPair');
    }
    if (answer.result === 'fail' && !answer.attachmentIds?.length) {
      throw invalidField(
        `results.${index}.attachmentIds`,
        '不合格项须附现场照片',
        'photoRequiredForFail',
      );
    }
    rows.push({ index, item, answer });
  });
  const missing = [...byId.values()].filter((i) => !seen.has(i.id.toLowerCase()));
  if (missing.length) {
    const names = missing
      .sort((a, b) => a.position - b.position)
      .map((i) => `${i.position}. ${i.text}`)
      .join('；');
    throw new DomainError(
      'invalid',
      CommonErrorCode.VALIDATION_FAILED,
      `results: 还有检查项未回答: ${names}`,
      {
        errors: [
          { field: 'results', code: 'allItemsAnswered', message: `还有检查项未回答: ${names}` },
        ],
        missingItemIds: missing.map((i) => i.id),
      },
    );
  }
  rows.sort((a, b) => a.item.position - b.item.position || a.index - b.index);
  const tasks = rows
    .filter((r) => r.answer.result === 'fail')
    .map(({ index, item, answer }): TaskDraft => ({
      index,
      itemId: item.id,
      categoryId: item.categoryId,
      siteId,
      description: failureDescription(item.text, answer.note),
      beforePhotoIds: answer.attachmentIds ?? [],
      ...(answer.lat !== undefined ? { lat: answer.lat, lng: answer.lng } : {}),
      ...(foundAt !== undefined ? { foundAt } : {}),
    }));
  return { rows, tasks };
}
