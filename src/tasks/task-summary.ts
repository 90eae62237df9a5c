import type { DeadlineAssessment } from './deadline/traffic-light.js';
import type { TaskEventDto, TaskSummaryDto } from './dto/task-output.dto.js';
import type { TaskEventRow } from './data/task-events.repository.js';
import type { TaskRow } from './data/task-views.repository.js';
import { statusLabel } from './task-lifecycle.js';

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** A task row as the API shows it, with the light and escalation as of `now`. */
export function toTaskSummary(
  r: TaskRow,
  assess: (assignedAt: Date, deadline: Date) => DeadlineAssessment,
  /** Whether 签收 is required (the 待签收 flag; AcknowledgementPolicy). */
  acknowledgementRequired = false,
): TaskSummaryDto {
  const timing =
    r.status === 'assigned' && r.assigned_at && r.deadline
      ? assess(r.assigned_at, r.deadline)
      : null;
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    statusLabel: statusLabel(r.status),
    inspectionId: r.inspection_id,
    category: {
      id: r.category_id,
      code: r.category_code,
      name: r.category_name,
      measureWord: r.measure_word,
    },
    site: r.site_id ? { id: r.site_id, name: r.site_name ?? '' } : null,
    address: r.address,
    lat: r.lat,
    lng: r.lng,
    description: r.description,
    unit: r.unit_id ? { id: r.unit_id, name: r.unit_name ?? '' } : null,
    assignedAt: iso(r.assigned_at),
    deadline: iso(r.deadline),
    deadlineOverridden: r.deadline_overridden,
    verificationPolicy: r.verification_policy ?? r.category_policy,
    reworkCount: r.rework_count,
    reopenCount: r.reopen_count,
    extensionCount: r.extension_count,
    holdReason: r.hold_reason,
    holdReviewOn: r.hold_review_on,
    duplicateOfId: r.duplicate_of_id,
    isRecurrence: r.recurrence_of_id !== null,
    closedAt: iso(r.closed_at),
    closedOnTime: r.closed_on_time,
    closedUnverified: r.closed_unverified,
    foundAt: r.found_at.toISOString(),
    source: r.source,
    importBatchId: r.import_batch_id,
    acknowledgedAt: iso(r.acknowledged_at),
    awaitingAcknowledgement:
      acknowledgementRequired && r.status === 'assigned' && r.acknowledged_at === null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
    timing: timing
      ? {
          light: timing.light,
          overdue: timing.overdue,
          overdueHours: Math.round(timing.overdueHours * 10) / 10,
          escalation: timing.escalation,
          fractionUsed: Math.round(timing.fractionUsed * 1000) / 1000,
        }
      : null,
  };
}

/** One event of the audit trail as the API shows it. */
export function toTaskEventDto(r: TaskEventRow): TaskEventDto {
  return {
    id: r.id,
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    actorName: r.actor_name,
    actorRole: r.actor_role,
    note: r.note,
    data: r.data as Record<string, unknown>,
    attachmentIds: r.attachment_ids,
    createdAt: r.created_at.toISOString(),
  };
}
