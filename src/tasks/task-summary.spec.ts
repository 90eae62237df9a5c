import type { TaskEventRow } from './data/task-events.repository.js';
import type { TaskRow } from './data/task-views.repository.js';
import type { DeadlineAssessment } from './deadline/traffic-light.js';
import { iso, toTaskEventDto, toTaskSummary } from './task-summary.js';

const ASSIGNED = new Date('2026-03-01T01:00:00.000Z');
const DEADLINE = new Date('2026-03-05T09:00:00.000Z');

function row(over: Partial<TaskRow> = {}): TaskRow {
  return {
    id: 'task-1',
    number: 'ZG-2026-000001',
    status: 'assigned',
    inspection_id: 'insp-1',
    category_id: 'cat-1',
    category_code: 'DXF',
    category_name: '乱堆乱放',
    measure_word: '处',
    site_id: 'site-1',
    site_name: '和平小区',
    address: '和平路1号',
    lat: 30,
    lng: 120,
    description: '楼道堆物',
    unit_id: 'unit-a',
    unit_name: '城管局',
    assigned_at: ASSIGNED,
    deadline: DEADLINE,
    deadline_overridden: false,
    verification_policy: null,
    category_policy: 'on_site',
    rework_count: 1,
    reopen_count: 2,
    extension_count: 3,
    hold_reason: null,
    hold_review_on: null,
    duplicate_of_id: null,
    recurrence_of_id: null,
    closed_at: null,
    closed_on_time: null,
    closed_unverified: false,
    found_at: new Date('2026-02-28T01:00:00.000Z'),
    source: 'inspection',
    import_batch_id: null,
    acknowledged_at: null,
    created_at: new Date('2026-02-28T02:00:00.000Z'),
    updated_at: new Date('2026-03-01T01:00:00.000Z'),
    version: 4,
    ...over,
  } as TaskRow;
}

const assessment: DeadlineAssessment = {
  light: 'yellow',
  overdue: true,
  fractionUsed: 0.83349,
  escalation: 'reminder',
  overdueHours: 1.26,
};

describe('toTaskSummary', () => {
  it('shows an assigned task with its light, rounded, as assessed from its own times', () => {
    const calls: [Date, Date][] = [];
    const dto = toTaskSummary(
      row(),
      (a, d) => {
        calls.push([a, d]);
        return assessment;
      },
      false,
    );
    expect(calls).toEqual([[ASSIGNED, DEADLINE]]);
    expect(dto).toEqual({
      id: 'task-1',
      number: 'ZG-2026-000001',
      status: 'assigned',
      statusLabel: '整改中',
      inspectionId: 'insp-1',
      category: { id: 'cat-1', code: 'DXF', name: '乱堆乱放', measureWord: '处' },
      site: { id: 'site-1', name: '和平小区' },
      address: '和平路1号',
      lat: 30,
      lng: 120,
      description: '楼道堆物',
      unit: { id: 'unit-a', name: '城管局' },
      assignedAt: '2026-03-01T01:00:00.000Z',
      deadline: '2026-03-05T09:00:00.000Z',
      deadlineOverridden: false,
      verificationPolicy: 'on_site',
      reworkCount: 1,
      reopenCount: 2,
      extensionCount: 3,
      holdReason: null,
      holdReviewOn: null,
      duplicateOfId: null,
      isRecurrence: false,
      closedAt: null,
      closedOnTime: null,
      closedUnverified: false,
      foundAt: '2026-02-28T01:00:00.000Z',
      source: 'inspection',
      importBatchId: null,
      acknowledgedAt: null,
      awaitingAcknowledgement: false,
      createdAt: '2026-02-28T02:00:00.000Z',
      updatedAt: '2026-03-01T01:00:00.000Z',
      version: 4,
      timing: {
        light: 'yellow',
        overdue: true,
        overdueHours: 1.3,
        escalation: 'reminder',
        fractionUsed: 0.833,
      },
    });
  });

  it.each<[string, Partial<TaskRow>]>([
    ['a task not assigned', { status: 'submitted' }],
    ['an assigned task without an assignment time', { assigned_at: null }],
    ['an assigned task without a deadline', { deadline: null }],
  ])('has no timing for %s, and does not assess it', (_name, over) => {
    const dto = toTaskSummary(row(over), () => {
      throw new Error('not to be assessed');
    });
    expect(dto.timing).toBeNull();
  });

  it("takes the task's own policy over the category's", () => {
    expect(
      toTaskSummary(row({ verification_policy: 'self_close' }), () => assessment),
    ).toMatchObject({
      verificationPolicy: 'self_close',
    });
  });

  it('has no site or unit without them, and names missing names empty', () => {
    const dto = toTaskSummary(row({ site_id: null, unit_id: null }), () => assessment);
    expect(dto).toMatchObject({ site: null, unit: null });
    const unnamed = toTaskSummary(row({ site_name: null, unit_name: null }), () => assessment);
    expect(unnamed).toMatchObject({
      site: { id: 'site-1', name: '' },
      unit: { id: 'unit-a', name: '' },
    });
  });

  it('marks a 反弹 and shows the times of a closed task', () => {
    const closedAt = new Date('2026-03-04T01:00:00.000Z');
    const dto = toTaskSummary(
      row({
        status: 'closed',
        recurrence_of_id: 'task-0',
        closed_at: closedAt,
        closed_on_time: true,
        acknowledged_at: ASSIGNED,
      }),
      () => assessment,
    );
    expect(dto).toMatchObject({
      isRecurrence: true,
      closedAt: '2026-03-04T01:00:00.000Z',
      closedOnTime: true,
      acknowledgedAt: '2026-03-01T01:00:00.000Z',
      timing: null,
    });
  });

  describe('待签收', () => {
    it.each<[string, boolean, Partial<TaskRow>, boolean]>([
      ['required, assigned, not signed', true, {}, true],
      ['not required', false, {}, false],
      ['required but signed', true, { acknowledged_at: ASSIGNED }, false],
      ['required but not assigned', true, { status: 'submitted' }, false],
    ])('%s: %s', (_name, required, over, awaiting) => {
      const dto = toTaskSummary(row(over), () => assessment, required);
      expect(dto.awaitingAcknowledgement).toBe(awaiting);
    });
    it('is not awaited by default', () => {
      expect(toTaskSummary(row(), () => assessment).awaitingAcknowledgement).toBe(false);
    });
  });
});

describe('iso', () => {
  it('writes a date as ISO text and keeps null', () => {
    expect(iso(new Date('2026-03-01T01:00:00Z'))).toBe('2026-03-01T01:00:00.000Z');
    expect(iso(null)).toBeNull();
  });
});

describe('toTaskEventDto', () => {
  it('shows every column of the event under its API name', () => {
    const r = {
      id: 'ev-1',
      action: 'dispatch',
      from_status: 'pending_dispatch',
      to_status: 'assigned',
      actor_kind: 'user',
      actor_id: 'u-1',
      actor_name: '张三',
      actor_role: 'admin',
      note: '派遣',
      data: { unitId: 'unit-a' },
      attachment_ids: ['a-1'],
      created_at: new Date('2026-03-01T01:00:00.000Z'),
    } as unknown as TaskEventRow;
    expect(toTaskEventDto(r)).toEqual({
      id: 'ev-1',
      action: 'dispatch',
      fromStatus: 'pending_dispatch',
      toStatus: 'assigned',
      actorKind: 'user',
      actorId: 'u-1',
      actorName: '张三',
      actorRole: 'admin',
      note: '派遣',
      data: { unitId: 'unit-a' },
      attachmentIds: ['a-1'],
      createdAt: '2026-03-01T01:00:00.000Z',
    });
  });
});
