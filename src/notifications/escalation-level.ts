import {
  RAISED_ESCALATION_LEVELS,
  type RaisedEscalationLevel,
} from '../tasks/deadline/traffic-light.js';

/**
 * The escalation levels a task reaches as its deadline nears and passes (the deadline scan,
 * EscalationService), in rising order: 提醒 at a share of the allowed time, 督办 when overdue,
 * 通报 when long overdue. Stored as `task_escalations.level`; the one definition of the union
 * for notifications and jobs, taken from the deadline model (tasks/deadline/traffic-light.ts).
 */
export const ESCALATION_LEVELS = RAISED_ESCALATION_LEVELS;
export type EscalationLevel = RaisedEscalationLevel;

/** The levels the office is told of (提醒 stays with the unit). */
export const OFFICE_ESCALATION_LEVELS = [
  'supervise',
  'notify',
] as const satisfies readonly EscalationLevel[];
export type OfficeEscalationLevel = (typeof OFFICE_ESCALATION_LEVELS)[number];

/** Whether `a` is a higher level than `b`. */
export const isHigherLevel = (a: EscalationLevel, b: EscalationLevel): boolean =>
  ESCALATION_LEVELS.indexOf(a) > ESCALATION_LEVELS.indexOf(b);
