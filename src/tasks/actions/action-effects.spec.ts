import type { CategoriesService } from '../../catalog/categories.service.js';
import type { EntityManager } from 'typeorm';
import type { AttachmentsService } from '../../attachments/attachments.service.js';
import type { Principal } from '../../common/auth/principal.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { AppConfig } from '../../config/app-config.js';
import { dbOf } from '../../database/kysely.js';
import type { UnitsService } from '../../units/units.service.js';
import { AcknowledgementPolicy } from '../acknowledgement/acknowledgement-policy.js';
import type { LockedTask } from '../data/tasks.repository.js';
import type { DeadlineService } from '../deadline/deadline.service.js';
import type { SpotCheckSampler } from '../spot-check.sampler.js';
import { AcknowledgementActions, freshAcknowledgement, signedBy } from './acknowledgement.js';
import { AssignmentActions } from './assignment.js';
import { ClosureActions } from './closure.js';
import { DisputeActions } from './dispute.js';
import { ExtensionActions } from './extension.js';
import { SettingsActions } from './settings.js';
import { SubmissionActions } from './submission.js';
import type { Effect, LifecycleStep, SettingStep, StepContext, TaskStep } from './task-step.js';
import type { TransitionRunner } from './transition-runner.js';

/**
 * What each action says it changes, without a database: a fake runner hands back the step the
 * action gives it, and the step's effect runs on a Kysely bound to a fake manager that answers
 * the action's reads from a script and records every statement. The runner's own protocol
 * (lock, version, table, event, lapse) is transition-runner.spec.ts's; the effects against a
 * real database are the lifecycle e2e and medium tests'.
 */
const NOW = new Date('2026-03-10T02:00:00.000Z');
const DEADLINE = new Date('2026-03-12T09:00:00.000Z');
const CATEGORY_DEADLINE = new Date('2026-03-13T09:00:00.000Z');

const office: Principal = {
  kind: 'user',
  id: 'u-office',
  role: 'admin',
  unitId: null,
  displayName: '创城办',
};
const inspector: Principal = { ...office, id: 'u-insp', role: 'inspector' };
const unitA: Principal = { ...office, id: 'u-a', role: 'unit', unitId: 'unit-a' };

function lockedTask(over: Partial<LockedTask> = {}): LockedTask {
  return {
    id: 'task-1',
    status: 'assigned',
    unit_id: 'unit-a',
    category_id: 'cat-1',
    assigned_at: new Date('2026-03-08T02:00:00.000Z'),
    deadline: DEADLINE,
    assessed_deadline: DEADLINE,
    verification_policy: null,
    version: 3,
    lat: null,
    lng: null,
    acknowledged_at: null,
    unit_assigned_at: null,
    created_at: new Date('2026-03-08T01:00:00.000Z'),
    has_pending_extension: false,
    has_pending_dispute: false,
    ...over,
  };
}

interface Statement {
  sql: string;
  params: unknown[];
}

/** A Kysely on a fake manager: reads answered by the first matching pattern, all recorded. */
function fakeDb(answers: [RegExp, unknown[]][] = []) {
  const statements: Statement[] = [];
  const em = {
    queryRunner: {
      // A prepared statement comes as pg's `{ name, text }` config (database/prepared.ts).
      query: async (query: string | { text: string }, params: unknown[]) => {
        const sql = typeof query === 'string' ? query : query.text;
        statements.push({ sql, params });
        const hit = answers.find(([re]) => re.test(sql));
        return { records: hit ? hit[1] : [], affected: 1 };
      },
    },
  } as unknown as EntityManager;
  return { db: dbOf(em), em, statements };
}

/**
 * The kept catalog as the actions read it: the category row the test stubs for `from
 * "categories"`, read through the step's own transaction (as CategoriesService does).
 */
const categories = {
  rulesOf: async (id: string, em: EntityManager) => {
    const qr = (
      em as unknown as {
        queryRunner: { query: (sql: string, params: unknown[]) => Promise<unknown> };
      }
    ).queryRunner;
    const { records } = (await qr.query('select * from "categories" where id = $1', [id])) as {
      records: Record<string, unknown>[];
    };
    const row = records[0];
    if (!row) throw new Error(`category ${id} not found`);
    return {
      id,
      deadlineRule: row.deadline_rule,
      verificationPolicy: row.verification_policy,
      spotCheckRatio: row.spot_check_ratio ?? null,
      requiresAfterPhoto: row.requires_after_photo ?? false,
    };
  },
} as unknown as CategoriesService;

/** A runner that hands back the step, with what it was called with. */
function capturingRunner() {
  const calls: { p: Principal; id: string; version: number | undefined; step: TaskStep }[] = [];
  const runner = {
    run: async (p: Principal, id: string, version: number | undefined, step: TaskStep) => {
      calls.push({ p, id, version, step });
      return step;
    },
  } as unknown as TransitionRunner;
  return { runner, calls };
}

async function stepOf(promise: Promise<unknown>): Promise<TaskStep> {
  return (await promise) as TaskStep;
}

function ctxOf(
  task: LockedTask,
  answers: [RegExp, unknown[]][] = [],
  principal: Principal = office,
): StepContext & { statements: Statement[] } {
  const { db, em, statements } = fakeDb(answers);
  return { task, principal, now: NOW, db, em, statements };
}

async function effectOf(step: TaskStep, ctx: StepContext): Promise<Effect> {
  const effect = await step.effect(ctx);
  if (!effect) throw new Error('expected an effect');
  return effect;
}

/** Runs the effect's `after` with event id 42 and returns the statements it wrote. */
async function afterOf(effect: Effect): Promise<Statement[]> {
  const { db, statements } = fakeDb();
  await effect.after?.(db, '42');
  return statements;
}

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<DomainError> {
  let error: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('ClosureActions', () => {
  const { runner, calls } = capturingRunner();
  const actions = new ClosureActions(runner);

  it('挂账: the reason trimmed on the task, as given in the note, the review date in the data', async () => {
    const step = await stepOf(
      actions.hold(office, 'task-1', 3, { reason: ' 待工程 ', reviewOn: '2026-04-01' }),
    );
    expect(calls.at(-1)).toMatchObject({ p: office, id: 'task-1', version: 3 });
    expect(step.action).toBe('hold');
    expect(await effectOf(step, ctxOf(lockedTask()))).toEqual({
      patch: { hold_reason: '待工程', hold_review_on: '2026-04-01' },
      note: ' 待工程 ',
      data: { reviewOn: '2026-04-01' },
    });
  });

  it('撤销: cancelled now, with the reason as the note', async () => {
    const step = await stepOf(actions.cancel(office, 'task-1', 3, { reason: '误报' }));
    expect(step.action).toBe('cancel');
    expect(await effectOf(step, ctxOf(lockedTask()))).toEqual({
      patch: { cancelled_at: NOW },
      note: '误报',
    });
  });

  describe('重复', () => {
    const dto = { duplicateOfId: 'task-2', note: '同一处' };
    const other = (over: object) =>
      [
        [/from "tasks"/, [{ id: 'task-2', number: 'ZG-2026-000002', status: 'assigned', ...over }]],
      ] as [RegExp, unknown[]][];

    it('locks the other task too and cancels this one as its duplicate', async () => {
      const step = await stepOf(actions.markDuplicate(office, 'task-1', 3, dto));
      expect(step).toMatchObject({ action: 'mark_duplicate', alsoLock: ['task-2'] });
      const ctx = ctxOf(lockedTask(), other({}));
      expect(await effectOf(step, ctx)).toEqual({
        patch: { cancelled_at: NOW, duplicate_of_id: 'task-2' },
        note: '同一处',
        data: { duplicateOf: 'ZG-2026-000002' },
      });
      expect(ctx.statements[0].params).toContain('task-2');
    });

    it.each<[string, [RegExp, unknown[]][]]>([
      ['a task that does not exist', []],
      ['the task itself', other({ id: 'task-1' })],
      ['a cancelled task', other({ status: 'cancelled' })],
    ])('refuses %s as the original', async (_name, answers) => {
      const step = await stepOf(actions.markDuplicate(office, 'task-1', 3, dto));
      const e = await refusal(step.effect(ctxOf(lockedTask(), answers)));
      expect(e.details?.errors?.[0]).toMatchObject({
        field: 'duplicateOfId',
        code: 'duplicateTarget',
      });
    });
  });
});

describe('SettingsActions', () => {
  it.each([unitA, inspector])('refuses the $role before taking any lock', async (p) => {
    const { runner, calls } = capturingRunner();
    const e = await refusal(() =>
      new SettingsActions(runner).update(p, 'task-1', 3, { verificationPolicy: 'on_site' }),
    );
    expect(e.code).toBe('FORBIDDEN');
    expect(calls).toEqual([]);
  });

  it('keeps the status and sets the policy', async () => {
    const { runner } = capturingRunner();
    const step = (await stepOf(
      new SettingsActions(runner).update(office, 'task-1', 3, { verificationPolicy: 'self_close' }),
    )) as SettingStep;
    expect(step.action).toBe('set_verification_policy');
    const ctx = ctxOf(lockedTask({ status: 'submitted' }));
    expect(step.decide(ctx)).toEqual({ ok: true, from: 'submitted', to: 'submitted' });
    expect(await step.effect(ctx)).toEqual({
      patch: { verification_policy: 'self_close' },
      data: { verificationPolicy: 'self_close' },
    });
  });

  it("null gives the task the category's policy again; nothing given changes nothing", async () => {
    const { runner } = capturingRunner();
    const actions = new SettingsActions(runner);
    const reset = await stepOf(actions.update(office, 'task-1', 3, { verificationPolicy: null }));
    expect(await reset.effect(ctxOf(lockedTask()))).toEqual({
      patch: { verification_policy: null },
      data: { verificationPolicy: null },
    });
    const none = await stepOf(actions.update(office, 'task-1', 3, {}));
    expect(await none.effect(ctxOf(lockedTask()))).toBeNull();
  });
});

describe('DisputeActions', () => {
  const { runner } = capturingRunner();
  const actions = new DisputeActions(runner);

  it('申诉: the reason as the note, a pending dispute of the unit written after the event', async () => {
    const step = await stepOf(actions.dispute(unitA, 'task-1', 3, { reason: ' 非本单位 ' }));
    expect(step.action).toBe('dispute');
    const effect = await effectOf(step, ctxOf(lockedTask(), [], unitA));
    expect(effect.note).toBe(' 非本单位 ');
    expect(effect.patch).toBeUndefined();
    const [insert] = await afterOf(effect);
    expect(insert.sql).toMatch(/^insert into "task_disputes"/);
    expect(insert.params).toEqual(['task-1', 'unit-a', '非本单位', 'pending', '42']);
  });

  const pending: [RegExp, unknown[]][] = [[/from "task_disputes"/, [{ id: 'd-1' }]]];

  it('upheld: back to dispatch without unit or deadline, the dispute closed as upheld', async () => {
    const step = await stepOf(
      actions.decide(office, 'task-1', 'd-1', 3, { uphold: true, note: '属实' }),
    );
    expect(step.action).toBe('uphold_dispute');
    const ctx = ctxOf(lockedTask(), pending);
    const effect = await effectOf(step, ctx);
    expect(ctx.statements[0].params).toEqual(['d-1', 'task-1', 'pending']);
    expect(effect).toMatchObject({
      patch: { unit_id: null, assigned_at: null, deadline: null, deadline_overridden: false },
      note: '属实',
      data: { disputeId: 'd-1', upheld: true, unitId: 'unit-a' },
    });
    const [update] = await afterOf(effect);
    expect(update.sql).toMatch(/^update "task_disputes"/);
    expect(update.params).toEqual(['upheld', '属实', '42', NOW, 'd-1']);
  });

  it('rejected: the task stays as it is, the dispute closed as rejected, no note as null', async () => {
    const step = await stepOf(actions.decide(office, 'task-1', 'd-1', 3, { uphold: false }));
    expect(step.action).toBe('reject_dispute');
    const effect = await effectOf(step, ctxOf(lockedTask(), pending));
    expect(effect).toMatchObject({
      patch: {},
      data: { disputeId: 'd-1', upheld: false, unitId: 'unit-a' },
    });
    const [update] = await afterOf(effect);
    expect(update.params).toEqual(['rejected', null, '42', NOW, 'd-1']);
  });

  it('answers 404 for a dispute that is not pending on this task', async () => {
    const step = await stepOf(actions.decide(office, 'task-1', 'd-9', 3, { uphold: true }));
    const e = await refusal(step.effect(ctxOf(lockedTask())));
    expect([e.kind, e.code]).toEqual(['not_found', 'REQUEST_NOT_FOUND']);
  });
});

describe('ExtensionActions', () => {
  const { runner } = capturingRunner();
  const actions = new ExtensionActions(runner);

  it('申请延期: the current and the requested deadline in the data, a pending request after', async () => {
    const dto = { requestedDeadline: '2026-03-15T09:00:00Z', reason: ' 材料未到 ' };
    const step = await stepOf(actions.request(unitA, 'task-1', 3, dto));
    expect(step.action).toBe('request_extension');
    const effect = await effectOf(step, ctxOf(lockedTask(), [], unitA));
    expect(effect).toMatchObject({
      note: ' 材料未到 ',
      data: {
        requestedDeadline: '2026-03-15T09:00:00.000Z',
        currentDeadline: '2026-03-12T09:00:00.000Z',
      },
    });
    expect(effect.patch).toBeUndefined();
    const [insert] = await afterOf(effect);
    expect(insert.sql).toMatch(/^insert into "extension_requests"/);
    expect(insert.params).toEqual([
      'task-1',
      new Date('2026-03-15T09:00:00Z'),
      '材料未到',
      'pending',
      '42',
    ]);
  });

  it.each<[string, string, Partial<LockedTask>]>([
    ['the current deadline itself', '2026-03-12T09:00:00Z', {}],
    ['an earlier one', '2026-03-11T09:00:00Z', {}],
    ['any, for a task without a deadline', '2026-03-15T09:00:00Z', { deadline: null }],
  ])('refuses to ask for %s', async (_name, requestedDeadline, over) => {
    const step = await stepOf(
      actions.request(unitA, 'task-1', 3, { requestedDeadline, reason: 'x' }),
    );
    const e = await refusal(step.effect(ctxOf(lockedTask(over), [], unitA)));
    expect(e.details?.errors?.[0]).toMatchObject({
      field: 'requestedDeadline',
      code: 'afterCurrentDeadline',
    });
  });

  const requested = new Date('2026-03-15T09:00:00.000Z');
  const pending: [RegExp, unknown[]][] = [
    [/from "extension_requests"/, [{ id: 'r-1', requested_deadline: requested }]],
  ];

  it('approved as asked: the requested deadline, one extension more, the history in the data', async () => {
    const step = await stepOf(
      actions.decide(office, 'task-1', 'r-1', 3, { approve: true, note: '同意' }),
    );
    expect(step.action).toBe('approve_extension');
    const ctx = ctxOf(lockedTask(), pending);
    const effect = await effectOf(step, ctx);
    expect(ctx.statements[0].params).toEqual(['r-1', 'task-1', 'pending']);
    expect(effect).toMatchObject({
      patch: { deadline: requested },
      increment: 'extension_count',
      note: '同意',
      data: {
        requestId: 'r-1',
        approved: true,
        deadlineFrom: '2026-03-12T09:00:00.000Z',
        deadlineTo: '2026-03-15T09:00:00.000Z',
      },
    });
    const [update] = await afterOf(effect);
    expect(update.sql).toMatch(/^update "extension_requests"/);
    expect(update.params).toEqual(['approved', requested, '同意', '42', NOW, 'r-1']);
  });

  it('approved for a task without a deadline: none in the history to move from', async () => {
    const step = await stepOf(actions.decide(office, 'task-1', 'r-1', 3, { approve: true }));
    const effect = await effectOf(step, ctxOf(lockedTask({ deadline: null }), pending));
    expect(effect.data).toMatchObject({
      deadlineFrom: undefined,
      deadlineTo: '2026-03-15T09:00:00.000Z',
    });
  });

  it("approved with the office's own deadline", async () => {
    const step = await stepOf(
      actions.decide(office, 'task-1', 'r-1', 3, {
        approve: true,
        deadline: '2026-03-20T09:00:00Z',
      }),
    );
    const effect = await effectOf(step, ctxOf(lockedTask(), pending));
    const granted = new Date('2026-03-20T09:00:00Z');
    expect(effect.patch).toEqual({ deadline: granted });
    expect(effect.data).toMatchObject({ deadlineTo: '2026-03-20T09:00:00.000Z' });
    const [update] = await afterOf(effect);
    expect(update.params).toEqual(['approved', granted, null, '42', NOW, 'r-1']);
  });

  it("refuses the office's own deadline when it is not in the future", async () => {
    const step = await stepOf(
      actions.decide(office, 'task-1', 'r-1', 3, {
        approve: true,
        deadline: '2026-03-01T09:00:00Z',
      }),
    );
    const e = await refusal(step.effect(ctxOf(lockedTask(), pending)));
    expect(e.details?.errors?.[0]).toMatchObject({ field: 'deadline', code: 'futureDate' });
  });

  it('refused: no change of the task, the request closed as refused', async () => {
    const step = await stepOf(
      actions.decide(office, 'task-1', 'r-1', 3, { approve: false, note: '不同意' }),
    );
    expect(step.action).toBe('refuse_extension');
    const effect = await effectOf(step, ctxOf(lockedTask(), pending));
    expect(effect).toMatchObject({ note: '不同意', data: { requestId: 'r-1', approved: false } });
    expect(effect.patch).toBeUndefined();
    expect(effect.increment).toBeUndefined();
    const [update] = await afterOf(effect);
    expect(update.params).toEqual(['refused', null, '不同意', '42', NOW, 'r-1']);
  });

  it('answers 404 for a request that is not pending on this task', async () => {
    const step = await stepOf(actions.decide(office, 'task-1', 'r-9', 3, { approve: true }));
    const e = await refusal(step.effect(ctxOf(lockedTask())));
    expect([e.kind, e.code]).toEqual(['not_found', 'REQUEST_NOT_FOUND']);
  });
});

describe('AcknowledgementActions', () => {
  it('签收: signed by the principal now, the hours it took to a tenth', async () => {
    const { runner } = capturingRunner();
    const step = await stepOf(new AcknowledgementActions(runner).acknowledge(unitA, 'task-1', 3));
    expect(step.action).toBe('acknowledge');
    // Given to the unit 2026-03-09 23:57 UTC: 2 h 3 min before NOW → 2.1 hours.
    const task = lockedTask({ unit_assigned_at: new Date('2026-03-09T23:57:00.000Z') });
    expect(await effectOf(step, ctxOf(task, [], unitA))).toEqual({
      patch: { acknowledged_at: NOW, acknowledged_by_kind: 'user', acknowledged_by_id: 'u-a' },
      data: { unitAssignedAt: '2026-03-09T23:57:00.000Z', hoursToSign: 2.1 },
    });
  });

  it('a new assignment awaits a new signature', () => {
    expect(freshAcknowledgement(NOW)).toEqual({
      acknowledged_at: null,
      acknowledged_by_kind: null,
      acknowledged_by_id: null,
      acknowledgement_escalated_at: null,
      unit_assigned_at: NOW,
    });
    expect(signedBy({ ...unitA, kind: 'api_key', id: 'key-1' }, NOW)).toEqual({
      acknowledged_at: NOW,
      acknowledged_by_kind: 'api_key',
      acknowledged_by_id: 'key-1',
    });
  });
});

describe('AssignmentActions', () => {
  const units = {
    lockActiveForWork: async (_em: unknown, id: string, field: string) => {
      if (field !== 'unitId') throw new Error(`field ${field}`);
      return { id, name: id === 'unit-b' ? '街道办' : '城管局' };
    },
  } as unknown as UnitsService;
  const deadlineRule = { days: 3 };
  const deadlines = {
    deadlineFrom: (start: Date, rule: unknown) => {
      expect([start, rule]).toEqual([NOW, deadlineRule]);
      return CATEGORY_DEADLINE;
    },
  } as unknown as DeadlineService;
  const usable: { ids: string[]; field: string }[] = [];
  const attachments = {
    assertUsable: async (_em: unknown, ids: string[], _p: unknown, field: string) => {
      usable.push({ ids, field });
      return [];
    },
  } as unknown as AttachmentsService;
  const category: [RegExp, unknown[]][] = [
    [/from "categories"/, [{ deadline_rule: deadlineRule, verification_policy: 'on_site' }]],
  ];
  const { runner } = capturingRunner();
  const actions = new AssignmentActions(runner, units, deadlines, attachments, categories);
  const fresh = {
    acknowledged_at: null,
    acknowledged_by_kind: null,
    acknowledged_by_id: null,
    acknowledgement_escalated_at: null,
    unit_assigned_at: NOW,
  };

  it("派遣 with the category's 时限: a new assignment, its 签收 awaited", async () => {
    const step = await stepOf(
      actions.dispatch(office, 'task-1', 3, { unitId: 'unit-b', note: '请处理' }),
    );
    expect(step.action).toBe('dispatch');
    const effect = await effectOf(
      step,
      ctxOf(lockedTask({ status: 'pending_dispatch', unit_id: null }), category),
    );
    expect(effect).toEqual({
      patch: {
        assigned_at: NOW,
        deadline: CATEGORY_DEADLINE,
        deadline_overridden: false,
        ...fresh,
        unit_id: 'unit-b',
      },
      note: '请处理',
      data: {
        unitFrom: null,
        unitTo: 'unit-b',
        unitName: '街道办',
        deadline: '2026-03-13T09:00:00.000Z',
      },
    });
  });

  it("改派 with the office's deadline, kept as overridden", async () => {
    const step = await stepOf(
      actions.reassign(office, 'task-1', 3, { unitId: 'unit-b', deadline: '2026-03-20T09:00:00Z' }),
    );
    expect(step.action).toBe('reassign');
    const effect = await effectOf(step, ctxOf(lockedTask(), category));
    expect(effect.patch).toMatchObject({
      deadline: new Date('2026-03-20T09:00:00Z'),
      deadline_overridden: true,
      unit_id: 'unit-b',
    });
    expect(effect.data).toMatchObject({ unitFrom: 'unit-a', unitTo: 'unit-b' });
  });

  it('refuses 改派 to the unit that has the task', async () => {
    const step = await stepOf(actions.reassign(office, 'task-1', 3, { unitId: 'unit-a' }));
    const e = await refusal(step.effect(ctxOf(lockedTask(), category)));
    expect(e.details?.errors?.[0]).toMatchObject({ field: 'unitId', code: 'differentUnit' });
  });

  it('恢复: a fresh deadline, the 挂账 reason and date cleared', async () => {
    const step = await stepOf(actions.resume(office, 'task-1', 3, { note: '复工' }));
    expect(step.action).toBe('resume');
    expect(await effectOf(step, ctxOf(lockedTask({ status: 'on_hold' }), category))).toEqual({
      patch: {
        assigned_at: NOW,
        deadline: CATEGORY_DEADLINE,
        deadline_overridden: false,
        hold_reason: null,
        hold_review_on: null,
      },
      note: '复工',
      data: { deadline: '2026-03-13T09:00:00.000Z' },
    });
  });

  it('反弹: reopened for the same unit, closure cleared, one reopen more, before-photos', async () => {
    usable.length = 0;
    const uuid = '0b6f8c1e-2f0a-4c1b-9a53-0d7f3e6b1a22';
    const step = await stepOf(
      actions.reopen(inspector, 'task-1', 3, { reason: '又堆了', photoIds: [uuid] }),
    );
    expect(step.action).toBe('reopen');
    const effect = await effectOf(step, ctxOf(lockedTask({ status: 'closed' }), category));
    expect(usable).toEqual([{ ids: [uuid], field: 'photoIds' }]);
    expect(effect).toEqual({
      patch: {
        assigned_at: NOW,
        deadline: CATEGORY_DEADLINE,
        deadline_overridden: false,
        closed_at: null,
        closed_on_time: null,
        closed_unverified: null,
      },
      increment: 'reopen_count',
      note: '又堆了',
      data: { deadline: '2026-03-13T09:00:00.000Z' },
      photos: { ids: [uuid], role: 'before' },
    });
  });

  it('反弹 without photos', async () => {
    usable.length = 0;
    const step = await stepOf(actions.reopen(inspector, 'task-1', 3, { reason: '又堆了' }));
    const effect = await effectOf(step, ctxOf(lockedTask({ status: 'closed' }), category));
    expect(usable).toEqual([{ ids: [], field: 'photoIds' }]);
    expect(effect.photos).toEqual({ ids: [], role: 'before' });
  });

  it("the office's deadline: overridden, the old and the new one in the data", async () => {
    const step = await stepOf(
      actions.overrideDeadline(office, 'task-1', 3, {
        deadline: '2026-03-20T09:00:00Z',
        reason: '特殊情况',
      }),
    );
    expect(step.action).toBe('override_deadline');
    expect(await effectOf(step, ctxOf(lockedTask()))).toEqual({
      patch: { deadline: new Date('2026-03-20T09:00:00Z'), deadline_overridden: true },
      note: '特殊情况',
      data: { deadlineFrom: '2026-03-12T09:00:00.000Z', deadlineTo: '2026-03-20T09:00:00.000Z' },
    });
  });

  it('an override of a task without a deadline: none in the history to move from', async () => {
    const step = await stepOf(
      actions.overrideDeadline(office, 'task-1', 3, {
        deadline: '2026-03-20T09:00:00Z',
        reason: 'x',
      }),
    );
    const effect = await effectOf(step, ctxOf(lockedTask({ deadline: null })));
    expect(effect.data).toEqual({
      deadlineFrom: undefined,
      deadlineTo: '2026-03-20T09:00:00.000Z',
    });
  });

  it('refuses an override in the past', async () => {
    const step = await stepOf(
      actions.overrideDeadline(office, 'task-1', 3, {
        deadline: '2026-03-01T09:00:00Z',
        reason: 'x',
      }),
    );
    const e = await refusal(step.effect(ctxOf(lockedTask())));
    expect(e.details?.errors?.[0]).toMatchObject({ field: 'deadline', code: 'futureDate' });
  });
});

describe('SubmissionActions', () => {
  const deadlineRule = { days: 3 };
  const deadlines = {
    deadlineFrom: () => CATEGORY_DEADLINE,
  } as unknown as DeadlineService;
  const PHOTO = '0b6f8c1e-2f0a-4c1b-9a53-0d7f3e6b1a22';
  /** Photos as the attachments service gives them back, by id (default: no capture data). */
  const photoRows: Record<string, object> = {};
  const askedFields: string[] = [];
  const askedIds: string[][] = [];
  const attachments = {
    assertUsable: async (_em: unknown, ids: string[], _p: unknown, field: string) => {
      askedFields.push(field);
      askedIds.push(ids);
      return ids.map((id) => ({
        id,
        exifCapturedAt: null,
        exifLat: null,
        exifLng: null,
        declaredCapturedAt: null,
        declaredLat: null,
        declaredLng: null,
        ...photoRows[id],
      }));
    },
  } as unknown as AttachmentsService;
  const config = { evidence: { maxDistanceM: 200 } } as AppConfig;
  const ack = (required: boolean) =>
    new AcknowledgementPolicy({ acknowledgement: { required, limitHours: 24 } } as AppConfig);

  function submissionActions(drawn: boolean[] = [], required = false) {
    const ratios: number[] = [];
    const sampler = {
      drawn: (ratio: number) => {
        ratios.push(ratio);
        return drawn.shift() ?? true;
      },
    } as unknown as SpotCheckSampler;
    const { runner } = capturingRunner();
    const actions = new SubmissionActions(
      runner,
      deadlines,
      attachments,
      sampler,
      config,
      ack(required),
      categories,
    );
    return { actions, ratios };
  }

  const categoryRow = (over: object = {}): [RegExp, unknown[]] => [
    /from "categories"/,
    [
      {
        deadline_rule: deadlineRule,
        verification_policy: 'on_site',
        spot_check_ratio: null,
        requires_after_photo: false,
        ...over,
      },
    ],
  ];
  const round: [RegExp, unknown[]] = [/from "task_submissions"/, [{ round: '2' }]];

  /** Runs submit's context, then its effect, as the runner does. */
  async function submitted(
    s: ReturnType<typeof submissionActions>,
    task: LockedTask,
    answers: [RegExp, unknown[]][],
    dto: { description: string; afterPhotoIds?: string[] } = { description: ' 已清理 ' },
  ) {
    const step = (await stepOf(s.actions.submit(unitA, 'task-1', 3, dto))) as LifecycleStep;
    expect(step.action).toBe('submit');
    const ctx = ctxOf(task, answers, unitA);
    const context = await step.context?.(ctx);
    const effect = await effectOf(step, ctx);
    return { context, effect };
  }

  it.each<[string, object, Partial<LockedTask>, boolean[], boolean, number[]]>([
    ['a category checked every time', {}, {}, [], false, []],
    ['a 免复查 category', { verification_policy: 'self_close' }, {}, [], true, []],
    [
      'the task’s own 免复查 over a checked category',
      {},
      { verification_policy: 'self_close' },
      [],
      true,
      [],
    ],
    [
      'the task’s own check over a 免复查 category',
      { verification_policy: 'self_close' },
      { verification_policy: 'on_site' },
      [],
      false,
      [],
    ],
    [
      'a spot check that draws it',
      { verification_policy: 'spot_check', spot_check_ratio: 0.25 },
      {},
      [true],
      false,
      [0.25],
    ],
    [
      'a spot check that does not draw it',
      { verification_policy: 'spot_check', spot_check_ratio: 0.25 },
      {},
      [false],
      true,
      [0.25],
    ],
    [
      'a spot check without a ratio: drawn with ratio 1',
      { verification_policy: 'spot_check' },
      {},
      [true],
      false,
      [1],
    ],
  ])('整改反馈 under %s', async (_name, cat, over, draws, closes, ratios) => {
    const s = submissionActions(draws);
    const { context } = await submitted(s, lockedTask({ status: 'assigned', ...over }), [
      categoryRow(cat),
      round,
    ]);
    expect(context).toEqual({ closesOnSubmit: closes });
    expect(s.ratios).toEqual(ratios);
  });

  it('a submission to be checked: no change of the task, the round and its row after the event', async () => {
    const s = submissionActions();
    const { effect } = await submitted(s, lockedTask(), [categoryRow(), round], {
      description: ' 已清理 ',
      afterPhotoIds: [PHOTO],
    });
    expect(effect).toEqual({
      patch: {},
      note: ' 已清理 ',
      data: {
        round: 2,
        policy: 'on_site',
        closedWithoutCheck: false,
        evidenceFlags: expect.any(Array),
      },
      photos: { ids: [PHOTO], role: 'after' },
      after: expect.any(Function),
    });
    const [insert] = await afterOf(effect);
    expect(insert.sql).toMatch(/^insert into "task_submissions"/);
    expect(insert.params).toEqual([
      'task-1',
      2,
      '已清理',
      '42',
      NOW,
      JSON.stringify((effect.data as { evidenceFlags: unknown }).evidenceFlags),
    ]);
  });

  it.each<[string, Date, boolean]>([
    ['by the 考核时限', new Date('2026-03-10T02:00:00.000Z'), true],
    ['after the 考核时限', new Date('2026-03-10T01:59:59.999Z'), false],
  ])(
    'a 免复查 closure %s: closed now, unverified, on time decided from now',
    async (_n, assessed, onTime) => {
      const s = submissionActions();
      const task = lockedTask({ assessed_deadline: assessed });
      const { effect } = await submitted(s, task, [
        categoryRow({ verification_policy: 'self_close' }),
        round,
      ]);
      expect(effect.patch).toEqual({
        closed_at: NOW,
        closed_on_time: onTime,
        closed_unverified: true,
      });
      expect(effect.data).toMatchObject({ policy: 'self_close', closedWithoutCheck: true });
    },
  );

  it('refuses a submission without after-photos where the category requires them', async () => {
    const s = submissionActions();
    const e = await refusal(
      submitted(s, lockedTask(), [categoryRow({ requires_after_photo: true }), round]),
    );
    expect(e.code).toBe('AFTER_PHOTO_REQUIRED');
  });

  it('accepts after-photos where the category requires them', async () => {
    const s = submissionActions();
    const { effect } = await submitted(
      s,
      lockedTask(),
      [categoryRow({ requires_after_photo: true }), round],
      {
        description: 'x',
        afterPhotoIds: [PHOTO],
      },
    );
    expect(effect.photos).toEqual({ ids: [PHOTO], role: 'after' });
  });

  it('flags a photo without a capture time', async () => {
    const s = submissionActions();
    const { effect } = await submitted(s, lockedTask(), [categoryRow(), round], {
      description: 'x',
      afterPhotoIds: [PHOTO],
    });
    const flags = (effect.data as { evidenceFlags: { attachmentId: string }[] }).evidenceFlags;
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.every((f) => f.attachmentId === PHOTO)).toBe(true);
  });

  it('judges each photo by its EXIF, else by what was declared, against the task', async () => {
    const EXIF = '1b6f8c1e-2f0a-4c1b-9a53-0d7f3e6b1a22';
    const DECLARED = '2b6f8c1e-2f0a-4c1b-9a53-0d7f3e6b1a22';
    const before = new Date('2026-03-07T02:00:00.000Z');
    photoRows[EXIF] = { exifCapturedAt: before, exifLat: 30.01, exifLng: 120 };
    photoRows[DECLARED] = { declaredCapturedAt: before, declaredLat: 30.01, declaredLng: 120 };
    askedFields.length = 0;
    const s = submissionActions();
    const task = lockedTask({ lat: 30, lng: 120 });
    const { effect } = await submitted(s, task, [categoryRow(), round], {
      description: 'x',
      afterPhotoIds: [EXIF, DECLARED],
    });
    expect(askedFields).toEqual(['afterPhotoIds']);
    const flags = (effect.data as { evidenceFlags: Record<string, unknown>[] }).evidenceFlags;
    expect(flags.map((f) => [f.attachmentId, f.reason, f.source])).toEqual([
      [EXIF, 'taken_before_assignment', 'exif'],
      [EXIF, 'too_far', 'exif'],
      [DECLARED, 'taken_before_assignment', 'declared'],
      [DECLARED, 'too_far', 'declared'],
    ]);
    // 0.01° of latitude ≈ 1,112 m, beyond the configured 200 m.
    expect(flags[1]).toMatchObject({ distanceM: 1112, maxDistanceM: 200 });
    expect(flags[0]).toMatchObject({ assignedAt: '2026-03-08T02:00:00.000Z' });
  });

  it('reporting the work signs for it where 签收 is awaited', async () => {
    const s = submissionActions([], true);
    const task = lockedTask({ unit_assigned_at: new Date('2026-03-09T02:00:00.000Z') });
    const { effect } = await submitted(s, task, [categoryRow(), round]);
    expect(effect.patch).toEqual({
      acknowledged_at: NOW,
      acknowledged_by_kind: 'user',
      acknowledged_by_id: 'u-a',
    });
    expect(effect.data).toMatchObject({
      acknowledged: { unitAssignedAt: '2026-03-09T02:00:00.000Z', hoursToSign: 24 },
    });
  });

  it.each<[string, boolean, Partial<LockedTask>]>([
    ['not required', false, {}],
    ['already signed', true, { acknowledged_at: new Date('2026-03-09T03:00:00.000Z') }],
  ])('does not sign where 签收 is %s', async (_name, required, over) => {
    const s = submissionActions([], required);
    const { effect } = await submitted(s, lockedTask(over), [categoryRow(), round]);
    expect(effect.patch).toEqual({});
    expect(effect.data).not.toHaveProperty('acknowledged');
  });

  describe('复查', () => {
    const submittedAt = new Date('2026-03-09T08:00:00.000Z');
    const latest: [RegExp, unknown[]] = [
      /from "task_submissions"/,
      [{ id: 'sub-2', created_at: submittedAt }],
    ];

    it.each<[string, Date, boolean]>([
      [
        'a submission made by the 考核时限 passes on time, however late the check',
        new Date('2026-03-09T08:00:00.000Z'),
        true,
      ],
      ['a submission made after it passes late', new Date('2026-03-09T07:59:59.999Z'), false],
    ])('%s', async (_name, assessed, onTime) => {
      const s = submissionActions();
      const step = await stepOf(
        s.actions.check(inspector, 'task-1', 3, { result: 'pass', note: '合格' }),
      );
      expect(step.action).toBe('check_pass');
      const task = lockedTask({ status: 'submitted', assessed_deadline: assessed });
      const effect = await effectOf(step, ctxOf(task, [latest], inspector));
      expect(effect).toEqual({
        note: '合格',
        photos: { ids: [], role: 'check' },
        after: expect.any(Function),
        patch: { closed_at: NOW, closed_on_time: onTime, closed_unverified: false },
        data: { result: 'pass', submittedAt: '2026-03-09T08:00:00.000Z' },
      });
      expect(askedIds.at(-1)).toEqual([]);
      const [insert] = await afterOf(effect);
      expect(insert.sql).toMatch(/^insert into "task_checks"/);
      expect(insert.params).toEqual(['task-1', 'sub-2', 'pass', '合格', '42', NOW]);
    });

    it('judges by the working deadline where no 考核时限 was kept', async () => {
      const s = submissionActions();
      const step = await stepOf(s.actions.check(inspector, 'task-1', 3, { result: 'pass' }));
      const task = lockedTask({
        status: 'submitted',
        assessed_deadline: null,
        deadline: new Date('2026-03-09T07:00:00.000Z'),
      });
      const effect = await effectOf(step, ctxOf(task, [latest], inspector));
      expect(effect.patch).toMatchObject({ closed_on_time: false });
    });

    it("a fail: 返工 with the category's 时限 from now, one rework more", async () => {
      const s = submissionActions();
      const uuid = '0b6f8c1e-2f0a-4c1b-9a53-0d7f3e6b1a22';
      const step = await stepOf(
        s.actions.check(inspector, 'task-1', 3, { result: 'fail', photoIds: [uuid] }),
      );
      expect(step.action).toBe('check_fail');
      askedFields.length = 0;
      const task = lockedTask({ status: 'submitted' });
      const effect = await effectOf(step, ctxOf(task, [latest, categoryRow()], inspector));
      expect(effect).toEqual({
        note: undefined,
        photos: { ids: [uuid], role: 'check' },
        after: expect.any(Function),
        patch: { assigned_at: NOW, deadline: CATEGORY_DEADLINE, deadline_overridden: false },
        increment: 'rework_count',
        data: { result: 'fail', deadline: '2026-03-13T09:00:00.000Z' },
      });
      const [insert] = await afterOf(effect);
      expect(insert.params).toEqual(['task-1', 'sub-2', 'fail', null, '42', NOW]);
      expect(askedFields).toEqual(['photoIds']);
    });

    it("a fail with the checker's deadline, kept as overridden", async () => {
      const s = submissionActions();
      const step = await stepOf(
        s.actions.check(inspector, 'task-1', 3, {
          result: 'fail',
          deadline: '2026-03-20T09:00:00Z',
        }),
      );
      const effect = await effectOf(
        step,
        ctxOf(lockedTask({ status: 'submitted' }), [latest], inspector),
      );
      expect(effect.patch).toEqual({
        assigned_at: NOW,
        deadline: new Date('2026-03-20T09:00:00Z'),
        deadline_overridden: true,
      });
    });

    it('fails loudly for a submitted task without a submission', async () => {
      const s = submissionActions();
      const step = await stepOf(s.actions.check(inspector, 'task-1', 3, { result: 'pass' }));
      await expect(
        step.effect(ctxOf(lockedTask({ status: 'submitted' }), [], inspector)),
      ).rejects.toThrow('task task-1 is submitted without a submission');
    });
  });
});
