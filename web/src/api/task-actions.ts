import { api, type Task, type TaskAction } from './client';

/** What an action's small form asks for. */
export type FieldKind = 'unit' | 'deadline' | 'date' | 'text' | 'note' | 'photos' | 'task';
export interface ActionField {
  key: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
}
export type Values = {
  unitId?: string;
  deadline?: string;
  requestedDeadline?: string;
  reviewOn?: string;
  note?: string;
  reason?: string;
  description?: string;
  photoIds?: string[];
  duplicateOfId?: string;
};

const opt = (s?: string) => (s && s.trim() ? s.trim() : undefined);
const photos = (p?: string[]) => (p && p.length ? p : undefined);

export interface ActionSpec {
  fields: ActionField[];
  danger?: boolean;
  /** What the dialog asks when the action needs nothing filled in. */
  confirm?: string;
  call: (t: Task, v: Values) => Promise<{ error?: unknown; response: Response }>;
}

/**
 * The version travels in the body; the same version also goes as `If-Match`, which the current
 * openapi.json lists as a required header (typed loosely so that a corrected document still fits).
 */
const ifMatch = (t: Task) => ({ 'if-match': `"${t.version}"` }) as never;
const path = (t: Task) => ({ path: { id: t.id }, header: ifMatch(t) });

/** Every task action the API offers, with its form and its call. */
export const ACTION_SPECS: Record<TaskAction, ActionSpec> = {
  dispatch: {
    fields: [
      { key: 'unitId', label: '责任单位', kind: 'unit', required: true },
      { key: 'deadline', label: '整改时限（不填按类别默认）', kind: 'deadline' },
      { key: 'note', label: '备注', kind: 'note' },
    ],
    call: (t, v) =>
      api.POST('/api/v1/tasks/{id}/dispatch', {
        params: path(t),
        body: {
          version: t.version,
          unitId: v.unitId ?? '',
          deadline: opt(v.deadline),
          note: opt(v.note),
        },
      }),
  },
  reassign: {
    fields: [
      { key: 'unitId', label: '改派给', kind: 'unit', required: true },
      { key: 'deadline', label: '整改时限（不填按类别默认）', kind: 'deadline' },
      { key: 'note', label: '备注', kind: 'note' },
    ],
    call: (t, v) =>
      api.POST('/api/v1/tasks/{id}/reassignment', {
        params: path(t),
        body: {
          version: t.version,
          unitId: v.unitId ?? '',
          deadline: opt(v.deadline),
          note: opt(v.note),
        },
      }),
  },
  submit: {
    fields: [
      { key: 'description', label: '整改情况', kind: 'text', required: true },
      { key: 'photoIds', label: '整改后照片', kind: 'photos' },
    ],
    call: (t, v) =>
      api.POST('/api/v1/tasks/{id}/submissions', {
        params: path(t),
        body: {
          version: t.version,
          description: v.description ?? '',
          afterPhotoIds: photos(v.photoIds),
        },
      }),
  },
  check_pass: {
    fields: [
      { key: 'note', label: '复查意见', kind: 'note' },
      { key: 'photoIds', label: '复查照片', kind: 'photos' },
    ],
    call: (t, v) =>
      api.POST('/api/v1/tasks/{id}/checks', {
        params: path(t),
        body: {
          version: t.version,
          result: 'pass',
          note: opt(v.note),
          photoIds: photos(v.photoIds),
        },
      }),
  },
  check_fail: {
    danger: true,
    fields: [
      { key: 'note', label: '不通过原因', kind: 'text', required: true },
      { key: 'photoIds', label: '复查照片', kind: 'photos' },
      { key: 'deadline', label: '返工时限（不填按类别默认）', kind: 'deadline' },
    ],
    call: (t, v) =>
      api.POST('/api/v1/tasks/{id}/checks', {
        params: path(t),
        body: {
          version: t.version,
          result: 'fail',
          note: opt(v.note),
          photoIds: photos(v.photoIds),
          deadline: opt(v.deadline),
        },
      }),
  },
  request_extension: {
    fields: [
      { key: 'requestedDeadline', label: '申请延至', kind: 'deadline', required: true },
      { key: 'reason', label: '延期理由', kind: 'text', required: true },
    ],
    call: (t, v) =>
      api.POST('/api/v1/tasks/{id}/extension-requests', {
        params: path(t),
        body: {
          version: t.version,
          requestedDeadline: v.requestedDeadline ?? '',
          reason: v.reason ?? '',
        },
      }),
  },
  approve_extension: {
    fields: [
      { key: 'deadline', label: '批准延至（不填按申请）', kind: 'deadline' },
      { key: 'note', label: '审批意见', kind: 'note' },
    ],
    call: (t, v) =>
      api.POST('/api/v1/tasks/{id}/extension-requests/{requestId}/decision', {
        params: { path: { id: t.id, requestId: t.pendingExtension?.id ?? '' }, header: ifMatch(t) },
        body: { version: t.version, approve: true, deadline: opt(v.deadline), note: opt(v.note) },
      }),
  },
  refuse_extension: {
    danger: true,
    fields: [{ key: 'note', label: '不批准理由', kind: 'note' }],
    call: (t, v) =>
      api.POST('/api/v1/tasks/{id}/extension-requests/{requestId}/decision', {
        params: { path: { id: t.id, requestId: t.pendingExtension?.id ?? '' }, header: ifMatch(t) },
        body: { version: t.version, approve: false, note: opt(v.note) },
      }),
  },
  dispute: {
    fields: [{ key: 'reason', label: '退回理由（如非本单位职责）', kind: 'text', required: true }],
    call: (t, v) =>
      api.POST('/api/v1/tasks/{id}/disputes', {
        params: path(t),
        body: { version: t.version, reason: v.reason ?? '' },
      }),
  },
  uphold_dispute: {
    fields: [{ key: 'note', label: '审批意见', kind: 'note' }],
    call: (t, v) =>
      api.POST('/api/v1/tasks/{id}/disputes/{disputeId}/decision', {
        params: { path: { id: t.id, disputeId: t.pendingDispute?.id ?? '' }, header: ifMatch(t) },
        body: { version: t.version, uphold: true, note: opt(v.note) },
      }),
  },
  reject_dispute: {
    danger: true,
    fields: [{ key: 'note', label: '驳回理由', kind: 'note' }],
    call: (t, v) =>
      api.POST('/api/v1/tasks/{id}/disputes/{disputeId}/decision', {
        params: { path: { id: t.id, disputeId: t.pendingDispute?.id ?? '' }, header: ifMatch(t) },
        body: { version: t.version, uphold: false, note: opt(v.note) },
      }),
  },
  hold: {
    fields: [
      { key: 'reason', label: '挂账原因', kind: 'text', required: true },
      { key: 'reviewOn', label: '复核日期', kind: 'date', required: true },
    ],
    call: (t, v) =>
      api.POST('/api/v1/tasks/{id}/hold', {
        params: path(t),
        body: { version: t.version, reason: v.reason ?? '', reviewOn: v.reviewOn ?? '' },
      }),
  },
  resume: {
    fields: [
      { key: 'deadline', label: '新时限（不填按类别默认）', kind: 'deadline' },
      { key: 'note', label: '备注', kind: 'note' },
    ],
    call: (t, v) =>
      api.POST('/api/v1/tasks/{id}/resume', {
        params: path(t),
        body: { version: t.version, deadline: opt(v.deadline), note: opt(v.note) },
      }),
  },
  cancel: {
    danger: true,
    fields: [{ key: 'reason', label: '撤销原因', kind: 'text', required: true }],
    call: (t, v) =>
      api.POST('/api/v1/tasks/{id}/cancellation', {
        params: path(t),
        body: { version: t.version, reason: v.reason ?? '' },
      }),
  },
  mark_duplicate: {
    danger: true,
    fields: [
      { key: 'duplicateOfId', label: '与之重复的任务 ID', kind: 'task', required: true },
      { key: 'note', label: '备注', kind: 'note' },
    ],
    call: (t, v) =>
      api.POST('/api/v1/tasks/{id}/duplicate', {
        params: path(t),
        body: {
          version: t.version,
          duplicateOfId: v.duplicateOfId?.trim() ?? '',
          note: opt(v.note),
        },
      }),
  },
  reopen: {
    danger: true,
    fields: [
      { key: 'reason', label: '反弹情况', kind: 'text', required: true },
      { key: 'photoIds', label: '现场照片', kind: 'photos' },
      { key: 'deadline', label: '整改时限（不填按类别默认）', kind: 'deadline' },
    ],
    call: (t, v) =>
      api.POST('/api/v1/tasks/{id}/reopen', {
        params: path(t),
        body: {
          version: t.version,
          reason: v.reason ?? '',
          photoIds: photos(v.photoIds),
          deadline: opt(v.deadline),
        },
      }),
  },
  override_deadline: {
    fields: [
      { key: 'deadline', label: '新时限', kind: 'deadline', required: true },
      { key: 'reason', label: '调整原因', kind: 'text', required: true },
    ],
    call: (t, v) =>
      api.POST('/api/v1/tasks/{id}/deadline', {
        params: path(t),
        body: { version: t.version, deadline: v.deadline ?? '', reason: v.reason ?? '' },
      }),
  },
  acknowledge: {
    fields: [],
    confirm: '确认本单位已接收此整改任务？签收时间将记入办理记录和周报。',
    call: (t) =>
      api.POST('/api/v1/tasks/{id}/acknowledgement', {
        params: path(t),
        body: { version: t.version },
      }),
  },
};

/** The API's field names mapped onto the form's (a submission's photos are `afterPhotoIds`). */
export function formKeyOf(apiField: string): string {
  if (apiField === 'afterPhotoIds') return 'photoIds';
  return apiField;
}
