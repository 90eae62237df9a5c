import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Task = Schemas['TaskDetailDto'];
export type TaskSummary = Schemas['TaskSummaryDto'];
export type TaskStatus = Task['status'];
export type TaskAction = Task['actions'][number];
export type Problem = Schemas['ProblemDto'];

/** The one API client: same origin, types generated from openapi.json. */
export const api = createClient<paths>({ baseUrl: '/', credentials: 'same-origin' });

/** A problem response as the screens show it: the detail and the field errors by field. */
export interface ShownProblem {
  status: number;
  code: string;
  detail: string;
  fields: Record<string, string>;
}

/** The validator's rule as a clerk reads it; other messages (already Chinese) pass through. */
const FIELD_RULE_TEXT: Record<string, string> = {
  isNotEmpty: '不能为空',
  isNonBlankText: '不能为空',
  isDefined: '必须填写',
  maxLength: '内容过长',
  minLength: '内容过短',
  isString: '须为文字',
  isInt: '须为整数',
  isNumber: '须为数字',
  isBoolean: '须为是或否',
  min: '数值过小',
  max: '数值过大',
  isIn: '不是可选的值',
  isEnum: '不是可选的值',
  matches: '格式不正确',
  isUuid: '不是有效的编号',
  isIdOrCode: '不是有效的编号或代码',
  isDay: '须为日期（如 2026-12-01）',
  isInstant: '须为日期时间',
  isLatitude: '纬度须在 -90 到 90 之间',
  isLongitude: '经度须在 -180 到 180 之间',
  isArray: '须为列表',
  arrayMaxSize: '项数过多',
  arrayMinSize: '项数过少',
  isObject: '格式不正确',
  isCron: '不是有效的定时表达式',
  whitelistValidation: '不是可填写的字段',
};

export function shownProblem(error: unknown, response?: Response): ShownProblem {
  const p = (error ?? {}) as Partial<Problem>;
  const fields: Record<string, string> = {};
  for (const f of p.errors ?? []) fields[f.field] ??= FIELD_RULE_TEXT[f.code] ?? f.message;
  return {
    status: p.status ?? response?.status ?? 0,
    code: p.code ?? 'UNKNOWN',
    // A 409 means someone else acted on the task first (a stale version or a state that moved on).
    detail:
      p.status === 409 || response?.status === 409
        ? '已被他人更新'
        : (p.detail ?? '请求失败，请稍后重试'),
    fields,
  };
}
