import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { AcknowledgementState } from '../task-lifecycle.js';

/**
 * 签收 (acknowledgement) as configured: whether a unit must sign for a task it was given
 * (`ACK_REQUIRED`, off by default: then nothing of 签收 shows, nothing is escalated for it) and
 * within how many hours (`ACK_LIMIT_HOURS`, plain hours — not the working-day calendar of
 * deadlines, which counts days — from the moment the task came to the unit).
 */
@Injectable()
export class AcknowledgementPolicy {
  readonly required: boolean;
  readonly limitHours: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.required = config.acknowledgement.required;
    this.limitHours = config.acknowledgement.limitHours;
  }

  /** The lifecycle's view of a task's 签收 (only an assigned task's is awaited). */
  stateOf(acknowledgedAt: Date | null): AcknowledgementState {
    if (!this.required) return 'not_required';
    return acknowledgedAt ? 'signed' : 'awaited';
  }
}

/**
 * When the current unit got the task: its 派遣 / 改派, or its creation when it was given to its
 * unit then (`unit_assigned_at` is null). The 签收时限 and the time to sign run from it.
 */
export const unitAssignedAt = (t: { unit_assigned_at: Date | null; created_at: Date }): Date =>
  t.unit_assigned_at ?? t.created_at;
