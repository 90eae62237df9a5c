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

export function shownProblem(error: unknown, response?: Response): ShownProblem {
  const p = (error ?? {}) as Partial<Problem>;
  const fields: Record<string, string> = {};
  for (const f of p.errors ?? []) fields[f.field] ??= f.message;
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
