import type { Role } from '../common/auth/principal.js';
import {
  OPEN_STATUSES,
  TASK_ACTIONS,
  TASK_STATUSES,
  availableActions,
  canSee,
  decideTransition,
  statusLabel,
  type AcknowledgementState,
  type LifecycleActor,
  type LifecycleContext,
  type LifecycleTask,
  type TaskAction,
  type TaskStatus,
  type TransitionDecision,
} from './task-lifecycle.js';

/*
 * The expected lifecycle, written out independently of TRANSITIONS from DESIGN.md "The closed
 * loop" (and the intended semantics of each action). Nothing below reads TRANSITIONS: a wrong
 * edit of the table in task-lifecycle.ts must make these tests fail.
 */

const STATUSES: readonly TaskStatus[] = [
  'pending_dispatch',
  'assigned',
  'submitted',
  'on_hold',
  'closed',
  'cancelled',
];
const OPEN: readonly TaskStatus[] = ['pending_dispatch', 'assigned', 'submitted', 'on_hold'];

const LABELS: Record<TaskStatus, string> = {
  pending_dispatch: '待派遣',
  assigned: '整改中',
  submitted: '待复查',
  on_hold: '挂账',
  closed: '已销号',
  cancelled: '已撤销',
};

type GuardName =
  | 'no_pending_extension'
  | 'pending_extension'
  | 'no_pending_dispute'
  | 'pending_dispute'
  | 'acknowledgement_awaited';
type Flags = Pick<LifecycleTask, 'hasPendingExtension' | 'hasPendingDispute' | 'acknowledgement'>;

/** Each guard: the exact (Chinese) message it blocks with, or null when the action may go on. */
const GUARDS: Record<GuardName, (f: Flags) => string | null> = {
  no_pending_extension: (f) => (f.hasPendingExtension ? '已有待审批的延期申请' : null),
  pending_extension: (f) => (f.hasPendingExtension ? null : '没有待审批的延期申请'),
  no_pending_dispute: (f) => (f.hasPendingDispute ? '已有待处理的申诉' : null),
  pending_dispute: (f) => (f.hasPendingDispute ? null : '没有待处理的申诉'),
  // 签收 only where required and not yet signed; absent means not required (the setting is off).
  acknowledgement_awaited: (f) =>
    f.acknowledgement === 'awaited'
      ? null
      : f.acknowledgement === 'signed'
        ? '任务已签收'
        : '无需签收',
};

interface ExpectedRule {
  from: readonly TaskStatus[];
  /** 'by_submit_context': closed when ctx.closesOnSubmit, else submitted. */
  to: TaskStatus | 'by_submit_context';
  roles: readonly Role[];
  guard?: GuardName;
}

const ADMIN: readonly Role[] = ['admin'];
const ADMIN_OR_INSPECTOR: readonly Role[] = ['admin', 'inspector'];
const UNIT: readonly Role[] = ['unit'];

const EXPECTED: Record<TaskAction, ExpectedRule> = {
  // 派遣: the office routes a task that no route fitted.
  dispatch: { from: ['pending_dispatch'], to: 'assigned', roles: ADMIN },
  // 改派: the office moves it to another unit; not while an extension request is pending.
  reassign: {
    from: ['assigned'],
    to: 'assigned',
    roles: ADMIN,
    guard: 'no_pending_extension',
  },
  // 整改反馈: the unit reports back; not while it disputes the task.
  submit: {
    from: ['assigned'],
    to: 'by_submit_context',
    roles: UNIT,
    guard: 'no_pending_dispute',
  },
  // 复查: the follow-up check, by the office or an inspector.
  check_pass: { from: ['submitted'], to: 'closed', roles: ADMIN_OR_INSPECTOR },
  check_fail: { from: ['submitted'], to: 'assigned', roles: ADMIN_OR_INSPECTOR },
  // 延期: keeps the task assigned; one request pending at a time; the office decides.
  request_extension: {
    from: ['assigned'],
    to: 'assigned',
    roles: UNIT,
    guard: 'no_pending_extension',
  },
  approve_extension: {
    from: ['assigned'],
    to: 'assigned',
    roles: ADMIN,
    guard: 'pending_extension',
  },
  refuse_extension: {
    from: ['assigned'],
    to: 'assigned',
    roles: ADMIN,
    guard: 'pending_extension',
  },
  // 申诉: the unit says "not ours"; upheld → back to dispatch, rejected → stays with the unit.
  dispute: { from: ['assigned'], to: 'assigned', roles: UNIT, guard: 'no_pending_dispute' },
  uphold_dispute: {
    from: ['assigned'],
    to: 'pending_dispatch',
    roles: ADMIN,
    guard: 'pending_dispute',
  },
  reject_dispute: {
    from: ['assigned'],
    to: 'assigned',
    roles: ADMIN,
    guard: 'pending_dispute',
  },
  // 挂账 ⇄ resume, by the office.
  hold: { from: ['assigned'], to: 'on_hold', roles: ADMIN },
  resume: { from: ['on_hold'], to: 'assigned', roles: ADMIN },
  // any open state ── cancel / mark duplicate ──▶ cancelled
  cancel: { from: OPEN, to: 'cancelled', roles: ADMIN },
  mark_duplicate: { from: OPEN, to: 'cancelled', roles: ADMIN },
  // 反弹: a closed task comes back to the unit.
  reopen: { from: ['closed'], to: 'assigned', roles: ADMIN_OR_INSPECTOR },
  // The office may override a running deadline.
  override_deadline: { from: ['assigned'], to: 'assigned', roles: ADMIN },
  // 签收: the unit signs for its assigned task, where 签收 is required; the status stays.
  acknowledge: {
    from: ['assigned'],
    to: 'assigned',
    roles: UNIT,
    guard: 'acknowledgement_awaited',
  },
};

const ACTIONS = Object.keys(EXPECTED) as TaskAction[];

// --- the combinations ---------------------------------------------------------------------------

const OWN_UNIT = 'unit-own';
const OTHER_UNIT = 'unit-other';

const ACTORS: Record<string, LifecycleActor> = {
  admin: { role: 'admin', unitId: null },
  inspector: { role: 'inspector', unitId: null },
  'unit-own-unit': { role: 'unit', unitId: OWN_UNIT },
  'unit-other-unit': { role: 'unit', unitId: OTHER_UNIT },
  'unit-without-unit': { role: 'unit', unitId: null },
};
type ActorName = keyof typeof ACTORS;

/** The task belongs to OWN_UNIT, or to no unit yet (e.g. waiting for dispatch). */
const TASK_UNITS: readonly (string | null)[] = [OWN_UNIT, null];
const BOOLS = [false, true] as const;
/** 签收 of the task: absent (as before the setting existed) or one of the states. */
const ACKS: Record<string, AcknowledgementState | undefined> = {
  absent: undefined,
  not_required: 'not_required',
  awaited: 'awaited',
  signed: 'signed',
};
const CONTEXTS: Record<string, LifecycleContext | undefined> = {
  'no ctx': undefined,
  '{}': {},
  'closesOnSubmit=false': { closesOnSubmit: false },
  'closesOnSubmit=true': { closesOnSubmit: true },
};

interface Combo {
  action: TaskAction;
  status: TaskStatus;
  taskUnit: string | null;
  actor: ActorName;
  hasPendingExtension: boolean;
  hasPendingDispute: boolean;
  ack: string;
  ctx: string;
}

function* combos(action: TaskAction): Generator<Combo> {
  for (const status of STATUSES)
    for (const taskUnit of TASK_UNITS)
      for (const actor of Object.keys(ACTORS))
        for (const hasPendingExtension of BOOLS)
          for (const hasPendingDispute of BOOLS)
            for (const ack of Object.keys(ACKS))
              for (const ctx of Object.keys(CONTEXTS))
                yield {
                  action,
                  status,
                  taskUnit,
                  actor,
                  hasPendingExtension,
                  hasPendingDispute,
                  ack,
                  ctx,
                };
}

function taskOf(c: Omit<Combo, 'ack'> & { ack?: string }): LifecycleTask {
  const acknowledgement = ACKS[c.ack ?? 'absent'];
  return {
    status: c.status,
    unitId: c.taskUnit,
    hasPendingExtension: c.hasPendingExtension,
    hasPendingDispute: c.hasPendingDispute,
    ...(acknowledgement ? { acknowledgement } : {}),
  };
}

const CHINESE = /[\u4e00-\u9fff]/;

/** The decision the design expects, in the documented check order. */
function expectedDecision(c: Combo): unknown {
  const actor = ACTORS[c.actor];
  const visible = actor.role !== 'unit' || (actor.unitId !== null && c.taskUnit === actor.unitId);
  if (!visible) {
    return { ok: false, reason: 'not_visible', message: expect.stringMatching(CHINESE) };
  }
  const rule = EXPECTED[c.action];
  if (!rule.roles.includes(actor.role)) {
    return { ok: false, reason: 'forbidden', message: expect.stringMatching(CHINESE) };
  }
  if (!rule.from.includes(c.status)) {
    return {
      ok: false,
      reason: 'illegal_transition',
      message: expect.stringContaining(`「${LABELS[c.status]}」`),
    };
  }
  const blocked = rule.guard ? GUARDS[rule.guard](taskOf(c)) : null;
  if (blocked !== null) return { ok: false, reason: 'guard', message: blocked };
  const to =
    rule.to === 'by_submit_context'
      ? CONTEXTS[c.ctx]?.closesOnSubmit
        ? 'closed'
        : 'submitted'
      : rule.to;
  return { ok: true, from: c.status, to };
}

function decide(c: Combo): TransitionDecision {
  const ctx = CONTEXTS[c.ctx];
  return ctx === undefined
    ? decideTransition(c.action, taskOf(c), ACTORS[c.actor])
    : decideTransition(c.action, taskOf(c), ACTORS[c.actor], ctx);
}

// --- tests ---------------------------------------------------------------------------------------

describe('the lifecycle vocabulary', () => {
  it('has exactly the six statuses and the eighteen actions the expected table covers', () => {
    expect([...TASK_STATUSES]).toEqual(STATUSES);
    expect([...TASK_ACTIONS].sort()).toEqual([...ACTIONS].sort());
    expect(ACTIONS).toHaveLength(18);
  });

  it('counts pending_dispatch, assigned, submitted and on_hold as open', () => {
    expect([...OPEN_STATUSES].sort()).toEqual([...OPEN].sort());
  });

  it.each(STATUSES.map((s) => [s, LABELS[s]]))('labels %s as %s', (status, label) => {
    expect(statusLabel(status as TaskStatus)).toBe(label);
  });
});

describe('canSee', () => {
  it.each<[string, string | null, ActorName, boolean]>([
    ['own task', OWN_UNIT, 'unit-own-unit', true],
    ["another unit's task", OWN_UNIT, 'unit-other-unit', false],
    ['a task without unit', null, 'unit-own-unit', false],
    ['a task without unit, actor without unit (null ≠ null)', null, 'unit-without-unit', false],
    ['a unit task, actor without unit', OWN_UNIT, 'unit-without-unit', false],
    ['a unit task, admin', OWN_UNIT, 'admin', true],
    ['a task without unit, admin', null, 'admin', true],
    ['a unit task, inspector', OWN_UNIT, 'inspector', true],
    ['a task without unit, inspector', null, 'inspector', true],
  ])('%s (task unit %s, %s) → %s', (_case, taskUnit, actor, visible) => {
    expect(canSee({ unitId: taskUnit }, ACTORS[actor])).toBe(visible);
  });
});

describe('decideTransition, every status × actor × task unit × pending flags × context', () => {
  it.each(ACTIONS)('%s', (action) => {
    let checked = 0;
    for (const combo of combos(action)) {
      expect({ combo, decision: decide(combo) }).toStrictEqual({
        combo,
        decision: expectedDecision(combo),
      });
      checked++;
    }
    // 6 statuses × 2 task units × 5 actors × 2 × 2 flags × 4 签收 states × 4 contexts
    expect(checked).toBe(3840);
  });
});

describe('decideTransition check order', () => {
  const task = (status: TaskStatus, ext = false, dis = false): LifecycleTask => ({
    status,
    unitId: OWN_UNIT,
    hasPendingExtension: ext,
    hasPendingDispute: dis,
  });
  it.each<[string, TaskAction, LifecycleTask, ActorName, string]>([
    [
      'not_visible before forbidden',
      'dispatch',
      task('assigned'),
      'unit-other-unit',
      'not_visible',
    ],
    [
      'not_visible before illegal_transition',
      'submit',
      task('cancelled'),
      'unit-other-unit',
      'not_visible',
    ],
    [
      'not_visible before guard',
      'submit',
      task('assigned', true, true),
      'unit-without-unit',
      'not_visible',
    ],
    [
      'forbidden before illegal_transition',
      'dispatch',
      task('cancelled'),
      'inspector',
      'forbidden',
    ],
    ['forbidden before guard', 'reassign', task('assigned', true), 'unit-own-unit', 'forbidden'],
    [
      'illegal_transition before guard',
      'approve_extension',
      task('submitted', false),
      'admin',
      'illegal_transition',
    ],
    ['guard last', 'approve_extension', task('assigned', false), 'admin', 'guard'],
  ])('%s (%s)', (_case, action, t, actor, reason) => {
    const d = decideTransition(action, t, ACTORS[actor]);
    expect(d).toMatchObject({ ok: false, reason });
  });
});

describe('decideTransition for submit', () => {
  const assigned: LifecycleTask = {
    status: 'assigned',
    unitId: OWN_UNIT,
    hasPendingExtension: false,
    hasPendingDispute: false,
  };
  it.each<[string, TaskStatus, LifecycleContext | undefined]>([
    ['no context', 'submitted', undefined],
    ['closesOnSubmit unset', 'submitted', {}],
    ['closesOnSubmit false', 'submitted', { closesOnSubmit: false }],
    [
      'closesOnSubmit true (self_close, or not drawn for a spot check)',
      'closed',
      { closesOnSubmit: true },
    ],
  ])('%s → %s', (_case, to, ctx) => {
    expect(decideTransition('submit', assigned, ACTORS['unit-own-unit'], ctx)).toStrictEqual({
      ok: true,
      from: 'assigned',
      to,
    });
  });

  it('is allowed while an extension request is pending, but not while a dispute is', () => {
    const actor = ACTORS['unit-own-unit'];
    expect(
      decideTransition('submit', { ...assigned, hasPendingExtension: true }, actor),
    ).toMatchObject({ ok: true, to: 'submitted' });
    expect(
      decideTransition('submit', { ...assigned, hasPendingDispute: true }, actor),
    ).toStrictEqual({
      ok: false,
      reason: 'guard',
      message: '已有待处理的申诉',
    });
  });
});

describe('decideTransition messages', () => {
  it('are Chinese and non-empty on every refusal, and name the state on illegal_transition', () => {
    for (const action of ACTIONS) {
      for (const combo of combos(action)) {
        const d = decide(combo);
        if (d.ok) continue;
        expect({ combo, message: d.message }).toEqual({
          combo,
          message: expect.stringMatching(CHINESE),
        });
        if (d.reason === 'illegal_transition') {
          expect({ combo, message: d.message }).toEqual({
            combo,
            message: expect.stringContaining(statusLabel(combo.status)),
          });
        }
      }
    }
  });

  it.each(STATUSES.filter((s) => s !== 'assigned'))(
    'the illegal_transition message for %s names its label',
    (status) => {
      const d = decideTransition(
        'request_extension',
        { status, unitId: OWN_UNIT, hasPendingExtension: false, hasPendingDispute: false },
        ACTORS['unit-own-unit'],
      );
      expect(d).toStrictEqual({
        ok: false,
        reason: 'illegal_transition',
        message: expect.stringContaining(`「${LABELS[status]}」`),
      });
    },
  );

  it('does not modify the task or the actor', () => {
    const task: LifecycleTask = Object.freeze({
      status: 'assigned',
      unitId: OWN_UNIT,
      hasPendingExtension: false,
      hasPendingDispute: false,
    });
    const actor = Object.freeze({ ...ACTORS['unit-own-unit'] });
    for (const action of ACTIONS) decideTransition(action, task, actor, { closesOnSubmit: true });
    expect(task).toEqual({
      status: 'assigned',
      unitId: OWN_UNIT,
      hasPendingExtension: false,
      hasPendingDispute: false,
    });
  });
});

describe('availableActions', () => {
  const t = (
    status: TaskStatus,
    flags: Partial<Flags> = {},
    unitId: string | null = OWN_UNIT,
  ): LifecycleTask => ({
    status,
    unitId,
    hasPendingExtension: false,
    hasPendingDispute: false,
    ...flags,
  });

  it.each<[string, LifecycleTask, ActorName, TaskAction[]]>([
    [
      'unit on its assigned task',
      t('assigned'),
      'unit-own-unit',
      ['submit', 'request_extension', 'dispute'],
    ],
    [
      'unit on its assigned task with an extension pending',
      t('assigned', { hasPendingExtension: true }),
      'unit-own-unit',
      ['submit', 'dispute'],
    ],
    [
      'unit on its assigned task with a dispute pending',
      t('assigned', { hasPendingDispute: true }),
      'unit-own-unit',
      ['request_extension'],
    ],
    ['unit on another unit’s assigned task', t('assigned'), 'unit-other-unit', []],
    ['unit on its submitted task', t('submitted'), 'unit-own-unit', []],
    [
      'admin on pending_dispatch',
      t('pending_dispatch', {}, null),
      'admin',
      ['dispatch', 'cancel', 'mark_duplicate'],
    ],
    ['inspector on pending_dispatch', t('pending_dispatch', {}, null), 'inspector', []],
    [
      'admin on assigned, nothing pending',
      t('assigned'),
      'admin',
      ['reassign', 'hold', 'cancel', 'mark_duplicate', 'override_deadline'],
    ],
    [
      'admin on assigned, extension and dispute pending',
      t('assigned', { hasPendingExtension: true, hasPendingDispute: true }),
      'admin',
      [
        'approve_extension',
        'refuse_extension',
        'uphold_dispute',
        'reject_dispute',
        'hold',
        'cancel',
        'mark_duplicate',
        'override_deadline',
      ],
    ],
    ['inspector on submitted', t('submitted'), 'inspector', ['check_pass', 'check_fail']],
    [
      'admin on submitted',
      t('submitted'),
      'admin',
      ['check_pass', 'check_fail', 'cancel', 'mark_duplicate'],
    ],
    ['admin on on_hold', t('on_hold'), 'admin', ['resume', 'cancel', 'mark_duplicate']],
    ['admin on closed', t('closed'), 'admin', ['reopen']],
    ['inspector on closed', t('closed'), 'inspector', ['reopen']],
    ['unit on its closed task', t('closed'), 'unit-own-unit', []],
  ])('%s', (_case, task, actor, actions) => {
    expect(availableActions(task, ACTORS[actor])).toEqual(actions);
  });

  it('lists exactly the actions the expected table allows, for every combination', () => {
    for (const status of STATUSES)
      for (const taskUnit of TASK_UNITS)
        for (const actor of Object.keys(ACTORS))
          for (const hasPendingExtension of BOOLS)
            for (const hasPendingDispute of BOOLS)
              for (const ack of Object.keys(ACKS)) {
                const base = {
                  status,
                  taskUnit,
                  actor,
                  hasPendingExtension,
                  hasPendingDispute,
                  ack,
                };
                const expected = ACTIONS.filter(
                  (action) =>
                    (expectedDecision({ ...base, action, ctx: '{}' }) as { ok: boolean }).ok,
                );
                const got = availableActions(
                  taskOf({ ...base, action: 'dispatch', ctx: '{}' }),
                  ACTORS[actor],
                );
                expect({ base, actions: [...got].sort() }).toEqual({
                  base,
                  actions: [...expected].sort(),
                });
              }
  });

  describe.each(Object.keys(ACTORS))('terminal states, for %s', (actor) => {
    it('cancelled has no action, whatever the flags and task unit', () => {
      for (const ext of BOOLS)
        for (const dis of BOOLS)
          for (const unitId of TASK_UNITS) {
            const task = t(
              'cancelled',
              { hasPendingExtension: ext, hasPendingDispute: dis },
              unitId,
            );
            expect({ task, actions: availableActions(task, ACTORS[actor]) }).toEqual({
              task,
              actions: [],
            });
          }
    });

    it('closed offers only reopen, and only to admin and inspector', () => {
      const role = ACTORS[actor].role;
      const expected: TaskAction[] = role === 'admin' || role === 'inspector' ? ['reopen'] : [];
      for (const ext of BOOLS)
        for (const dis of BOOLS)
          for (const unitId of TASK_UNITS) {
            const task = t('closed', { hasPendingExtension: ext, hasPendingDispute: dis }, unitId);
            expect({ task, actions: availableActions(task, ACTORS[actor]) }).toEqual({
              task,
              actions: expected,
            });
          }
    });
  });
});

describe('签收 (acknowledge)', () => {
  const assigned = (acknowledgement?: AcknowledgementState): LifecycleTask => ({
    status: 'assigned',
    unitId: OWN_UNIT,
    hasPendingExtension: false,
    hasPendingDispute: false,
    ...(acknowledgement ? { acknowledgement } : {}),
  });

  it.each<[string, AcknowledgementState | undefined, TransitionDecision]>([
    ['awaited: signs, the status stays', 'awaited', { ok: true, from: 'assigned', to: 'assigned' }],
    ['signed: blocked', 'signed', { ok: false, reason: 'guard', message: '任务已签收' }],
    ['not required: blocked', 'not_required', { ok: false, reason: 'guard', message: '无需签收' }],
    [
      'absent (setting off): blocked',
      undefined,
      { ok: false, reason: 'guard', message: '无需签收' },
    ],
  ])('%s', (_case, ack, decision) => {
    expect(decideTransition('acknowledge', assigned(ack), ACTORS['unit-own-unit'])).toStrictEqual(
      decision,
    );
  });

  it('is offered to the own unit only while awaited, next to its other actions', () => {
    expect(availableActions(assigned('awaited'), ACTORS['unit-own-unit'])).toEqual([
      'submit',
      'request_extension',
      'dispute',
      'acknowledge',
    ]);
    for (const ack of ['not_required', 'signed', undefined] as const) {
      expect(availableActions(assigned(ack), ACTORS['unit-own-unit'])).not.toContain('acknowledge');
    }
    expect(availableActions(assigned('awaited'), ACTORS['admin'])).not.toContain('acknowledge');
    expect(availableActions(assigned('awaited'), ACTORS['unit-other-unit'])).toEqual([]);
  });

  it('is not for the office (forbidden) nor another unit (not visible)', () => {
    expect(decideTransition('acknowledge', assigned('awaited'), ACTORS['admin'])).toMatchObject({
      ok: false,
      reason: 'forbidden',
    });
    expect(
      decideTransition('acknowledge', assigned('awaited'), ACTORS['unit-other-unit']),
    ).toMatchObject({ ok: false, reason: 'not_visible' });
  });
});
