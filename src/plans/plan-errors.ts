import { DomainError } from '../common/errors/domain-error.js';

/** Error codes of 督导计划. */
export enum PlanErrorCode {
  PLAN_NOT_FOUND = 'PLAN_NOT_FOUND',
  /** One plan per inspector per period (week or month starting that day). */
  PLAN_PERIOD_TAKEN = 'PLAN_PERIOD_TAKEN',
}

export const planNotFound = (): DomainError =>
  new DomainError('not_found', PlanErrorCode.PLAN_NOT_FOUND, '督导计划不存在');

export const planPeriodTaken = (planId: string | undefined): DomainError =>
  new DomainError(
    'conflict',
    PlanErrorCode.PLAN_PERIOD_TAKEN,
    'periodStart: 该督导员在这一周期已有计划，请修改原计划',
    {
      planId,
      errors: [
        {
          field: 'periodStart',
          code: 'uniquePlanPeriod',
          message: '该督导员在这一周期已有计划',
        },
      ],
    },
  );
