export type Light = 'green' | 'yellow' | 'red';

/**
 * The levels a task is raised to as its deadline nears and passes, in rising order: 提醒
 * (reminder), 督办 (supervise), 通报 (notify) — the one definition (task_escalations.level;
 * notifications/escalation-level.ts names them for the scan and the office).
 */
export const RAISED_ESCALATION_LEVELS = ['reminder', 'supervise', 'notify'] as const;
/** A level a task has actually been raised to (task_escalations.level). */
export type RaisedEscalationLevel = (typeof RAISED_ESCALATION_LEVELS)[number];
/** A task's level as lists show it: none yet, or the highest reached; each includes the ones before. */
export type EscalationLevel = 'none' | RaisedEscalationLevel;

export interface EscalationThresholds {
  /** Share of the allowed time after which the light turns yellow and a reminder goes out. */
  reminderAtFraction: number;
  /** 督办 once overdue by more than this many hours (0: as soon as the deadline passes). */
  superviseAfterHours: number;
  /** 通报 once overdue by more than this many hours. */
  notifyAfterHours: number;
}

export const DEFAULT_ESCALATION_THRESHOLDS: EscalationThresholds = {
  reminderAtFraction: 0.8,
  superviseAfterHours: 0,
  notifyAfterHours: 72,
};

export interface DeadlineAssessment {
  light: Light;
  /** Strictly past the deadline: at the deadline itself a task is still on time. */
  overdue: boolean;
  /** Elapsed ÷ allowed time, 0 before assignment, above 1 once overdue. */
  fractionUsed: number;
  escalation: EscalationLevel;
  /** Hours past the deadline, 0 while not overdue. */
  overdueHours: number;
}

/**
 * The instants at which a task changes level, so SQL can select by timestamp instead of
 * recomputing fractions. The comparisons match `assessDeadline` exactly:
 * reminder when `now >= reminderAt`, 督办 when `now > superviseAt`, 通报 when `now > notifyAt`
 * (and red / overdue when `now > deadline`).
 */
export interface EscalationBoundaries {
  reminderAt: Date;
  superviseAt: Date;
  notifyAt: Date;
}

const HOUR_MS = 3_600_000;

function assertValidDate(value: Date, name: string): void {
  if (Number.isNaN(value.getTime())) throw new RangeError(`${name} is not a valid date`);
}

function assertThresholds(t: EscalationThresholds): void {
  const { reminderAtFraction: f, superviseAfterHours: s, notifyAfterHours: n } = t;
  if (!(Number.isFinite(f) && f > 0 && f <= 1)) {
    throw new RangeError(`reminderAtFraction must be in (0, 1], got ${f}`);
  }
  if (!(Number.isFinite(s) && s >= 0)) {
    throw new RangeError(`superviseAfterHours must be a number >= 0, got ${s}`);
  }
  if (!(Number.isFinite(n) && n >= s)) {
    throw new RangeError(
      `notifyAfterHours must be a number >= superviseAfterHours (${s}), got ${n}`,
    );
  }
}

export function escalationBoundaries(
  assignedAt: Date,
  deadline: Date,
  t: EscalationThresholds,
): EscalationBoundaries {
  assertValidDate(assignedAt, 'assignedAt');
  assertValidDate(deadline, 'deadline');
  assertThresholds(t);
  const start = assignedAt.getTime();
  const end = deadline.getTime();
  const allowed = Math.max(0, end - start);
  const raw = allowed * t.reminderAtFraction;
  const nearest = Math.round(raw);
  // Rounded up so that `now >= reminderAt` means "at least the fraction used" on whole
  // milliseconds; products like 0.8 × 15 = 12.000000000000002 are float noise, not 13 ms.
  const offset = Math.abs(raw - nearest) < 1e-6 ? nearest : Math.ceil(raw);
  return {
    // Capped so the levels stay ordered even when a deadline was set before the assignment.
    reminderAt: new Date(Math.min(start + offset, end)),
    superviseAt: new Date(end + t.superviseAfterHours * HOUR_MS),
    notifyAt: new Date(end + t.notifyAfterHours * HOUR_MS),
  };
}

/**
 * Where an open task stands against its deadline. Only for open tasks: closed and 挂账 ones are
 * judged elsewhere, and `assignedAt` is when the current window started (assignment, or the
 * latest re-dispatch), which is the caller's to choose.
 */
export function assessDeadline(
  assignedAt: Date,
  deadline: Date,
  now: Date,
  t: EscalationThresholds,
): DeadlineAssessment {
  assertValidDate(now, 'now');
  const b = escalationBoundaries(assignedAt, deadline, t);
  const at = now.getTime();
  const end = deadline.getTime();
  const allowed = end - assignedAt.getTime();
  const overdue = at > end;
  const fractionUsed =
    allowed > 0
      ? Math.max(0, at - assignedAt.getTime()) / allowed
      : // A window of no length is all used up once it has passed; there is nothing to divide.
        overdue
        ? 1
        : 0;
  const escalation: EscalationLevel =
    at > b.notifyAt.getTime()
      ? 'notify'
      : at > b.superviseAt.getTime()
        ? 'supervise'
        : at >= b.reminderAt.getTime()
          ? 'reminder'
          : 'none';
  const light: Light = overdue ? 'red' : at >= b.reminderAt.getTime() ? 'yellow' : 'green';
  return {
    light,
    overdue,
    fractionUsed,
    escalation,
    overdueHours: overdue ? (at - end) / HOUR_MS : 0,
  };
}
