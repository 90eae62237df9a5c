import type { TaskStatus } from '../task-lifecycle.js';

/**
 * 是否超期 in the 台账, with the same definition of "on time" as the digest's 按期结案 (see
 * `digest.reader.ts`): a task is on time when the unit's accepted submission came no later than
 * the deadline in force — `closed_on_time`, stamped when the task closes (by a passing 复查 or by
 * a submission that closes it at once). So the ledger and the digest can never disagree:
 *
 * - closed: overdue exactly when `closed_on_time` is false; the hours run from the deadline to
 *   the accepted (latest) submission, or to the closure when there was none.
 * - submitted (待复查): overdue when the submission came after the deadline — it will close late
 *   whatever the check says; a timely submission waiting for its check is not the unit's delay.
 * - assigned (整改中): overdue when the deadline has passed now (as the list's traffic light).
 * - on hold (挂账): not overdue; a parked task leaves the on-time count, as in the digest.
 * - pending dispatch and cancelled: no unit was bound by a deadline: not overdue.
 */
export interface OverdueFacts {
  status: TaskStatus | string;
  deadline: Date | null;
  /** The latest submission (整改反馈): for a closed task, the one the closure accepted. */
  submittedAt: Date | null;
  closedAt: Date | null;
  closedOnTime: boolean | null;
  now: Date;
}

export interface OverdueVerdict {
  overdue: boolean;
  /** How late, in hours (0 when not overdue). */
  overdueHours: number;
}

const NOT_OVERDUE: OverdueVerdict = Object.freeze({ overdue: false, overdueHours: 0 });
const HOUR_MS = 3_600_000;

function late(deadline: Date, at: Date): OverdueVerdict {
  return { overdue: true, overdueHours: Math.max(0, at.getTime() - deadline.getTime()) / HOUR_MS };
}

export function ledgerOverdue(f: OverdueFacts): OverdueVerdict {
  switch (f.status) {
    case 'closed': {
      if (f.closedOnTime !== false || !f.deadline) return NOT_OVERDUE;
      return late(f.deadline, f.submittedAt ?? f.closedAt ?? f.deadline);
    }
    case 'submitted':
      return f.deadline && f.submittedAt && f.submittedAt > f.deadline
        ? late(f.deadline, f.submittedAt)
        : NOT_OVERDUE;
    case 'assigned':
      return f.deadline && f.now > f.deadline ? late(f.deadline, f.now) : NOT_OVERDUE;
    default:
      return NOT_OVERDUE;
  }
}
