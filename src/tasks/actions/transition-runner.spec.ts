import { jest } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../../common/auth/principal.js';
import type { Clock } from '../../common/clock.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { TransactionRunner } from '../../database/transaction.js';
import type { LockedTask } from '../data/tasks.repository.js';
import type { TaskReader } from '../task-reader.js';
import type { Effect, TaskStep } from './task-step.js';
import { TransitionRunner } from './transition-runner.js';

/**
 * The runner's protocol without a database: a fake manager answers the lock with a given row and
 * records every statement, so each test sees what was written, in which order, and what was not.
 */
const NOW = new Date('2026-03-02T01:00:00Z');
const office: Principal = {
  kind: 'user',
  id: 'u-office',
  role: 'admin',
  unitId: null,
  displayName: '创城办',
};
const unitA: Principal = {
  kind: 'user',
  id: 'u-a',
  role: 'unit',
  unitId: 'unit-a',
  displayName: 'A',
};

function lockedTask(over: Partial<LockedTask> = {}): LockedTask {
  return {
    id: 'task-1',
    status: 'assigned',
    unit_id: 'unit-a',
    category_id: 'cat-1',
    assigned_at: new Date('2026-03-01T01:00:00Z'),
    deadline: new Date('2026-03-05T09:00:00Z'),
    assessed_deadline: new Date('2026-03-05T09:00:00Z'),
    verification_policy: null,
    version: 3,
    lat: null,
    lng: null,
    acknowledged_at: null,
    unit_assigned_at: null,
    created_at: new Date('2026-03-01T01:00:00Z'),
    has_pending_extension: false,
    has_pending_dispute: false,
    ...over,
  };
}

interface Statement {
  sql: string;
  params: unknown[];
}

function harness(task: LockedTask | undefined) {
  const statements: Statement[] = [];
  const answer = (sql: string): unknown[] => {
    if (/^select .* from "tasks" as "t"/.test(sql) && sql.includes('for update')) {
      return task ? [task] : [];
    }
    if (sql.startsWith('with "e" as (insert into "task_events"')) return [{ id: '42' }];
    return [];
  };
  const em = {
    queryRunner: {
      // A prepared statement comes as pg's `{ name, text }` config (database/prepared.ts).
      query: async (query: string | { text: string }, params: unknown[]) => {
        const sql = typeof query === 'string' ? query : query.text;
        statements.push({ sql, params });
        return { records: answer(sql), affected: 1 };
      },
    },
  } as unknown as EntityManager;
  const tx = { withTransaction: (work: (m: EntityManager) => Promise<unknown>) => work(em) };
  const known: unknown[] = [];
  const reader = {
    // The read-back; records what the runner told it it knows (`{ nonePending }`).
    detailIn: async (_db: unknown, _p: Principal, _id: string, k: unknown) => {
      known.push(k);
      return { read: 'back' };
    },
  };
  const clock = { now: () => NOW };
  const runner = new TransitionRunner(
    tx as unknown as TransactionRunner,
    reader as unknown as TaskReader,
    clock as Clock,
  );
  // The writes in order; those of one statement with data-modifying CTEs in their CTE order.
  const writes = () =>
    statements
      .filter((s) => !/^select/i.test(s.sql))
      .flatMap((s) =>
        s.sql.startsWith('with ')
          ? [...s.sql.matchAll(/ as \((insert into "\w+"|update "\w+" set)/g)].map((m) => m[1])
          : [s.sql.split(' ').slice(0, 3).join(' ')],
      );
  return { runner, statements, writes, known };
}

const step = (action: TaskStep['action'], effect: Effect | null = {}): TaskStep =>
  ({ action, effect: async () => effect }) as TaskStep;

async function failure(p: Promise<unknown>): Promise<{ kind: string; code: string }> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  const { kind, code } = e as DomainError;
  return { kind, code };
}

describe('TransitionRunner', () => {
  it('answers 404 for a task the lock does not find (another unit’s), scoped by the unit', async () => {
    const h = harness(undefined);
    expect(await failure(h.runner.run(unitA, 'task-1', 3, step('dispute')))).toEqual({
      kind: 'not_found',
      code: 'TASK_NOT_FOUND',
    });
    expect(h.statements[0].params).toContain('unit-a');
    expect(h.writes()).toEqual([]);
  });

  it('checks the role before the version, the version before the state, and writes nothing', async () => {
    const cases: [Principal, TaskStep['action'], number | undefined, LockedTask, string][] = [
      [unitA, 'hold', undefined, lockedTask(), 'FORBIDDEN'],
      [office, 'hold', undefined, lockedTask(), 'VERSION_REQUIRED'],
      [office, 'hold', 2, lockedTask({ status: 'closed' }), 'VERSION_CONFLICT'],
      [office, 'hold', 3, lockedTask({ status: 'closed' }), 'ILLEGAL_TRANSITION'],
      [office, 'reassign', 3, lockedTask({ has_pending_extension: true }), 'TRANSITION_BLOCKED'],
    ];
    for (const [p, action, version, task, code] of cases) {
      const h = harness(task);
      expect([
        action,
        (await failure(h.runner.run(p, 'task-1', version, step(action)))).code,
      ]).toEqual([action, code]);
      expect(h.writes()).toEqual([]);
    }
  });

  it('writes the event, its outbox row and the patch with the new status and version in one statement, then the rows of the action', async () => {
    const h = harness(lockedTask());
    const after = jest.fn(async () => undefined);
    const out = await h.runner.run(
      office,
      'task-1',
      3,
      step('hold', { patch: { hold_reason: '需工程' }, note: '挂账', after }),
    );
    expect(out).toEqual({ read: 'back' });
    expect(h.writes()).toEqual([
      'insert into "task_events"',
      'insert into "outbox"',
      'update "tasks" set',
    ]);
    expect(h.statements.filter((s) => !/^select/i.test(s.sql))).toHaveLength(1);
    const update = h.statements.find((s) => s.sql.includes('update "tasks" set')) as Statement;
    expect(update.sql).toContain('"version" = "version" +');
    expect(update.params).toEqual(expect.arrayContaining(['需工程', 'on_hold', NOW]));
    expect(after).toHaveBeenCalledWith(expect.anything(), '42');
  });

  it('lapses only what the lock saw pending, and only when the task leaves its unit’s work', async () => {
    const both = { has_pending_extension: true, has_pending_dispute: true };
    const lapses = async (action: TaskStep['action'], effect: Effect, task = lockedTask(both)) => {
      const h = harness(task);
      await h.runner.run(office, 'task-1', 3, step(action, effect));
      return h.writes().filter((w) => /extension_requests|task_disputes/.test(w));
    };
    expect(await lapses('cancel', {})).toEqual([
      'update "extension_requests" set',
      'update "task_disputes" set',
    ]);
    expect(await lapses('cancel', {}, lockedTask({ has_pending_dispute: true }))).toEqual([
      'update "task_disputes" set',
    ]);
    expect(await lapses('cancel', {}, lockedTask())).toEqual([]);
    expect(
      await lapses('override_deadline', { patch: { deadline: new Date('2026-04-01T00:00:00Z') } }),
    ).toEqual([]);
    expect(
      await lapses(
        'reassign',
        { patch: { unit_id: 'unit-b' } },
        lockedTask({ has_pending_dispute: true }),
      ),
    ).toEqual(['update "task_disputes" set']);
  });

  it('moves the 考核时限 with the deadline, except for rework (check_fail, reopen)', async () => {
    const deadline = new Date('2026-04-01T00:00:00Z');
    const columns = async (action: TaskStep['action'], status: LockedTask['status']) => {
      const h = harness(lockedTask({ status }));
      await h.runner.run(
        action === 'check_fail' ? office : office,
        'task-1',
        3,
        step(action, { patch: { deadline } }),
      );
      const update = h.statements.find((s) => s.sql.includes('update "tasks" set')) as Statement;
      return update.sql.includes('"assessed_deadline"');
    };
    expect(await columns('override_deadline', 'assigned')).toBe(true);
    expect(await columns('resume', 'on_hold')).toBe(true);
    expect(await columns('check_fail', 'submitted')).toBe(false);
    expect(await columns('reopen', 'closed')).toBe(false);
  });

  it('records in the event the unit it concerns: the new one after a move, else the task’s', async () => {
    const unitOf = async (effect: Effect) => {
      const h = harness(lockedTask());
      await h.runner.run(
        office,
        'task-1',
        3,
        step(effect.patch?.unit_id ? 'reassign' : 'hold', effect),
      );
      const event = h.statements.find((s) =>
        s.sql.includes('insert into "task_events"'),
      ) as Statement;
      const data = event.params.find((x) => typeof x === 'string' && x.startsWith('{')) as string;
      return (JSON.parse(data) as { unitId: string | null }).unitId;
    };
    expect(await unitOf({ patch: { unit_id: 'unit-b' } })).toBe('unit-b');
    expect(await unitOf({})).toBe('unit-a');
  });

  it('changes nothing, not even the version, when the effect has nothing to change', async () => {
    const h = harness(lockedTask());
    await h.runner.run(office, 'task-1', 3, {
      action: 'set_verification_policy',
      decide: ({ task }) => ({ ok: true, from: task.status, to: task.status }),
      effect: async () => null,
    });
    expect(h.writes()).toEqual([]);
  });

  it('locks the other tasks of a step with this one, in id order, before the lock that reads it', async () => {
    const h = harness(lockedTask());
    await h.runner.run(office, 'task-1', 3, { ...step('cancel'), alsoLock: ['task-0'] });
    const [both, own] = h.statements;
    expect(both.sql).toMatch(
      /^select "id" from "tasks" where "id" in \(\$1, \$2\) order by "id" for update$/,
    );
    expect(both.params).toEqual(['task-1', 'task-0']);
    expect(own.sql).toMatch(/from "tasks" as "t"/);
  });

  it('takes no lock more for a step without other tasks', async () => {
    const h = harness(lockedTask());
    await h.runner.run(office, 'task-1', 3, { ...step('cancel'), alsoLock: [] });
    expect(h.statements[0].sql).toMatch(/from "tasks" as "t"/);
    expect(h.statements.filter((s) => s.sql.includes(' in ('))).toEqual([]);
  });

  it('writes the patch itself, the note into the event, the outbox row naming both, and the photos', async () => {
    const h = harness(lockedTask());
    const photo = '0b6f8c1e-2f0a-4c1b-9a53-0d7f3e6b1a22';
    await h.runner.run(
      office,
      'task-1',
      3,
      step('hold', {
        patch: { hold_reason: '需工程', hold_review_on: '2026-04-01' },
        note: '挂账说明',
        photos: { ids: [photo], role: 'before' },
      }),
    );
    // One statement writes the event, its outbox row and the patch (see the test above).
    const write = h.statements.find((s) => s.sql.includes('update "tasks" set')) as Statement;
    expect(write.sql).toContain('"hold_reason" = $');
    expect(write.sql).toContain('"hold_review_on" = $');
    expect(write.sql).toContain('insert into "task_events"');
    expect(write.params).toContain('挂账说明');
    expect(write.sql).toContain('insert into "outbox"');
    // The outbox row names the event this statement inserted, and its task.
    expect(write.sql).toContain(
      "jsonb_build_object('eventId', e.id::text, 'taskId', e.task_id::text)",
    );
    expect(JSON.stringify(write.params)).toContain('task-1');
    expect(h.writes()).toContain('insert into "task_attachments"');
  });

  it('links no photos when the action has none', async () => {
    const h = harness(lockedTask());
    await h.runner.run(office, 'task-1', 3, step('hold', { patch: { hold_reason: 'x' } }));
    expect(h.writes()).not.toContain('insert into "task_attachments"');
  });

  it('answers 404, not 403, to a unit for a task that is not its own', async () => {
    const h = harness(lockedTask({ unit_id: 'unit-b' }));
    expect(await failure(h.runner.run(unitA, 'task-1', 3, step('submit')))).toEqual({
      kind: 'not_found',
      code: 'TASK_NOT_FOUND',
    });
    expect(h.writes()).toEqual([]);
  });

  it('tells the read-back that nothing is pending only when it knows: none at the lock, or all lapsed, and no request filed', async () => {
    const told = async (
      p: Principal,
      action: TaskStep['action'],
      pending: Partial<LockedTask> = {},
      effect: Effect | null = {},
    ) => {
      const h = harness(lockedTask(pending));
      await h.runner.run(p, 'task-1', 3, step(action, effect));
      expect(h.known).toHaveLength(1);
      return [action, pending, h.known[0]];
    };
    const ext = { has_pending_extension: true };
    const dispute = { has_pending_dispute: true };
    const both = { ...ext, ...dispute };
    const deadline = { patch: { deadline: new Date('2026-04-01T00:00:00Z') } };
    const cases: [Principal, TaskStep['action'], Partial<LockedTask>, Effect | null, boolean][] = [
      // Staying assigned with the same unit: nothing lapses, so only what the lock saw counts.
      [office, 'override_deadline', {}, deadline, true],
      [office, 'override_deadline', ext, deadline, false],
      [office, 'override_deadline', dispute, deadline, false],
      [office, 'override_deadline', both, deadline, false],
      // Leaving the unit's work lapses whatever was pending.
      [office, 'cancel', both, {}, true],
      [office, 'hold', ext, {}, true],
      // A step that files a request leaves one pending, whatever was before.
      [unitA, 'request_extension', {}, {}, false],
      [unitA, 'dispute', {}, {}, false],
      // No change at all: what the lock saw.
      [office, 'override_deadline', {}, null, true],
      [office, 'override_deadline', dispute, null, false],
    ];
    for (const [p, action, pending, effect, nonePending] of cases) {
      expect(await told(p, action, pending, effect)).toEqual([action, pending, { nonePending }]);
    }
  });

  it('hands the effect the locked task, the principal and the clock’s now', async () => {
    const h = harness(lockedTask());
    const seen: unknown[] = [];
    await h.runner.run(office, 'task-1', 3, {
      action: 'cancel',
      effect: async ({ task, principal, now }) => {
        seen.push(task.id, principal.id, now);
        return { patch: { cancelled_at: now } };
      },
    });
    expect(seen).toEqual(['task-1', 'u-office', NOW]);
  });
});
