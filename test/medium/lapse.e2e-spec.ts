import { bj, lastEvent, mediumWorld, ok, type MediumWorld, type TaskBody } from './medium-world.js';

/**
 * Extension requests (延期申请) and disputes (申诉) are about a unit working on an assigned task.
 * When the task is parked, cancelled, handed to another unit or leaves the unit's hands, what
 * is still pending lapses — recorded in the request's row against the event that caused it —
 * so nothing is left that no action could decide. Read from the database after API calls.
 */
describe('pending requests lapse when the task moves on', () => {
  let m: MediumWorld;
  const LAPSE_NOTE = '任务状态已变化，申请自动失效';

  beforeAll(async () => {
    m = await mediumWorld('2026-11-09 09:00');
  });
  afterAll(() => m.close());

  /** A task of unit A, due Friday, created Monday 09:00. */
  const assignedToA = () => {
    m.setNow('2026-11-09 09:00');
    return ok(
      m.office().post('/tasks', {
        categoryId: m.checkedCategory,
        siteId: m.w.siteA,
        unitId: m.w.unitA.unitId,
        deadline: bj('2026-11-13 18:00').toISOString(),
        description: '沿街堆放建筑垃圾',
      }),
    );
  };
  const requestExtension = (x: TaskBody) => {
    m.setNow('2026-11-09 10:00');
    return ok(
      m.unitA().post(`/tasks/${x.id}/extension-requests`, {
        version: x.version,
        requestedDeadline: bj('2026-11-20 18:00').toISOString(),
        reason: '需协调物业清运',
      }),
    );
  };
  const dispute = (x: TaskBody) => {
    m.setNow('2026-11-09 10:30');
    return ok(
      m.unitA().post(`/tasks/${x.id}/disputes`, { version: x.version, reason: '不属于本单位' }),
    );
  };
  /** A task of unit A with a pending 延期申请 and a pending 申诉. */
  const withBothPending = async () => dispute(await requestExtension(await assignedToA()));

  interface RequestRow {
    status: string;
    decision_note: string | null;
    decision_event_id: string | null;
    decided_at: Date | null;
    granted_deadline?: Date | null;
  }
  const extensions = async (taskId: string) =>
    (await m.t.ds.query(
      `SELECT status, decision_note, decision_event_id::text AS decision_event_id, decided_at, granted_deadline
         FROM extension_requests WHERE task_id = $1 ORDER BY created_at, id`,
      [taskId],
    )) as RequestRow[];
  const disputes = async (taskId: string) =>
    (await m.t.ds.query(
      `SELECT status, decision_note, decision_event_id::text AS decision_event_id, decided_at
         FROM task_disputes WHERE task_id = $1 ORDER BY created_at, id`,
      [taskId],
    )) as RequestRow[];
  const lapsedBy = (eventId: string, at: string) => ({
    decision_note: LAPSE_NOTE,
    decision_event_id: eventId,
    decided_at: bj(at),
  });

  it('hold (挂账): the pending extension is refused and the dispute rejected, by the hold event', async () => {
    const x = await withBothPending();
    expect(x.pendingExtension).not.toBeNull();
    expect(x.pendingDispute).not.toBeNull();
    m.setNow('2026-11-10 09:00');
    const held = await ok(
      m.office().post(`/tasks/${x.id}/hold`, {
        version: x.version,
        reason: '需工程改造',
        reviewOn: '2026-12-01',
      }),
    );
    expect(held).toMatchObject({ status: 'on_hold', pendingExtension: null, pendingDispute: null });
    const e = await lastEvent(m.t, x.id);
    expect(e).toMatchObject({ action: 'hold', from_status: 'assigned', to_status: 'on_hold' });
    expect(await extensions(x.id)).toEqual([
      { status: 'refused', granted_deadline: null, ...lapsedBy(e.id, '2026-11-10 09:00') },
    ]);
    expect(await disputes(x.id)).toEqual([
      { status: 'rejected', ...lapsedBy(e.id, '2026-11-10 09:00') },
    ]);
    // Nothing else was recorded for the lapse: the hold is the last event.
    const [{ n }] = (await m.t.ds.query(
      `SELECT count(*)::int AS n FROM task_events WHERE task_id = $1 AND id > $2`,
      [x.id, e.id],
    )) as { n: number }[];
    expect(n).toBe(0);
  });

  it('cancel (撤销): both pending requests lapse, by the cancel event', async () => {
    const x = await withBothPending();
    m.setNow('2026-11-10 11:00');
    const cancelled = await ok(
      m.office().post(`/tasks/${x.id}/cancellation`, { version: x.version, reason: '误报' }),
    );
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      pendingExtension: null,
      pendingDispute: null,
    });
    const e = await lastEvent(m.t, x.id);
    expect(e).toMatchObject({ action: 'cancel', from_status: 'assigned', to_status: 'cancelled' });
    expect(await extensions(x.id)).toEqual([
      { status: 'refused', granted_deadline: null, ...lapsedBy(e.id, '2026-11-10 11:00') },
    ]);
    expect(await disputes(x.id)).toEqual([
      { status: 'rejected', ...lapsedBy(e.id, '2026-11-10 11:00') },
    ]);
  });

  it('mark duplicate: both pending requests lapse, by that event', async () => {
    const original = await assignedToA();
    const x = await withBothPending();
    m.setNow('2026-11-10 11:30');
    await ok(
      m
        .office()
        .post(`/tasks/${x.id}/duplicate`, { version: x.version, duplicateOfId: original.id }),
    );
    const e = await lastEvent(m.t, x.id);
    expect(e).toMatchObject({ action: 'mark_duplicate', to_status: 'cancelled' });
    expect((await extensions(x.id)).map((r) => [r.status, r.decision_event_id])).toEqual([
      ['refused', e.id],
    ]);
    expect((await disputes(x.id)).map((r) => [r.status, r.decision_event_id])).toEqual([
      ['rejected', e.id],
    ]);
  });

  it('reassign (改派): the pending dispute of the unit that had it lapses, by the reassign event', async () => {
    const x = await dispute(await assignedToA());
    m.setNow('2026-11-10 14:00');
    const moved = await ok(
      m
        .office()
        .post(`/tasks/${x.id}/reassignment`, { version: x.version, unitId: m.w.unitB.unitId }),
    );
    expect(moved).toMatchObject({
      status: 'assigned',
      unit: { id: m.w.unitB.unitId },
      pendingDispute: null,
    });
    const e = await lastEvent(m.t, x.id);
    expect(e).toMatchObject({ action: 'reassign', from_status: 'assigned', to_status: 'assigned' });
    expect(await disputes(x.id)).toEqual([
      { status: 'rejected', ...lapsedBy(e.id, '2026-11-10 14:00') },
    ]);
    // The new unit starts clean: it may dispute the task itself.
    m.setNow('2026-11-10 15:00');
    await ok(
      m
        .unitB()
        .post(`/tasks/${x.id}/disputes`, { version: moved.version, reason: '也不属于本单位' }),
    );
    expect((await disputes(x.id)).map((r) => r.status)).toEqual(['rejected', 'pending']);
  });

  it('reassign is refused while an extension is pending, and the request stays pending', async () => {
    const x = await requestExtension(await assignedToA());
    const res = await m
      .office()
      .post(`/tasks/${x.id}/reassignment`, { version: x.version, unitId: m.w.unitB.unitId });
    expect(res.status).toBe(409);
    expect((await extensions(x.id)).map((r) => r.status)).toEqual(['pending']);
  });

  it('submit: the pending extension lapses when the unit reports back', async () => {
    const x = await requestExtension(await assignedToA());
    m.setNow('2026-11-11 09:00');
    await ok(
      m.unitA().post(`/tasks/${x.id}/submissions`, { version: x.version, description: '已清运' }),
    );
    const e = await lastEvent(m.t, x.id);
    expect(e).toMatchObject({ action: 'submit', to_status: 'submitted' });
    expect(await extensions(x.id)).toEqual([
      { status: 'refused', granted_deadline: null, ...lapsedBy(e.id, '2026-11-11 09:00') },
    ]);
  });

  it('reopen (反弹): what lapsed stays lapsed, a new request may be made and lapses again on hold', async () => {
    let x = await requestExtension(await assignedToA());
    m.setNow('2026-11-11 09:00');
    x = await ok(
      m.unitA().post(`/tasks/${x.id}/submissions`, { version: x.version, description: '已清运' }),
    );
    const submitEvent = await lastEvent(m.t, x.id);
    m.setNow('2026-11-11 15:00');
    x = await ok(
      m.inspector().post(`/tasks/${x.id}/checks`, { version: x.version, result: 'pass' }),
    );
    m.setNow('2026-11-16 09:00');
    x = await ok(
      m.inspector().post(`/tasks/${x.id}/reopen`, {
        version: x.version,
        reason: '垃圾又出现',
        deadline: bj('2026-11-19 18:00').toISOString(),
      }),
    );
    expect(x).toMatchObject({ status: 'assigned', pendingExtension: null, closedOnTime: null });
    const reopened = await lastEvent(m.t, x.id);
    expect(reopened).toMatchObject({
      action: 'reopen',
      from_status: 'closed',
      to_status: 'assigned',
    });
    // Still the submission's lapse, not revived nor re-decided by the reopen.
    expect(await extensions(x.id)).toEqual([
      {
        status: 'refused',
        granted_deadline: null,
        ...lapsedBy(submitEvent.id, '2026-11-11 09:00'),
      },
    ]);
    // A new request after the reopen, and a dispute, lapse when the reopened task is parked.
    m.setNow('2026-11-16 10:00');
    x = await ok(
      m.unitA().post(`/tasks/${x.id}/extension-requests`, {
        version: x.version,
        requestedDeadline: bj('2026-11-27 18:00').toISOString(),
        reason: '反弹需重新清运',
      }),
    );
    x = await ok(
      m.unitA().post(`/tasks/${x.id}/disputes`, { version: x.version, reason: '反弹非本单位责任' }),
    );
    m.setNow('2026-11-16 11:00');
    await ok(
      m.office().post(`/tasks/${x.id}/hold`, {
        version: x.version,
        reason: '待拆迁',
        reviewOn: '2027-01-01',
      }),
    );
    const hold = await lastEvent(m.t, x.id);
    expect(await extensions(x.id)).toEqual([
      {
        status: 'refused',
        granted_deadline: null,
        ...lapsedBy(submitEvent.id, '2026-11-11 09:00'),
      },
      { status: 'refused', granted_deadline: null, ...lapsedBy(hold.id, '2026-11-16 11:00') },
    ]);
    expect(await disputes(x.id)).toEqual([
      { status: 'rejected', ...lapsedBy(hold.id, '2026-11-16 11:00') },
    ]);
  });

  it('actions that keep the task with the unit leave pending requests pending', async () => {
    let x = await withBothPending();
    m.setNow('2026-11-10 09:00');
    x = await ok(
      m.office().post(`/tasks/${x.id}/deadline`, {
        version: x.version,
        deadline: bj('2026-11-18 18:00').toISOString(),
        reason: '集中整治',
      }),
    );
    expect((await extensions(x.id)).map((r) => r.status)).toEqual(['pending']);
    expect((await disputes(x.id)).map((r) => r.status)).toEqual(['pending']);
    expect(x.pendingExtension).not.toBeNull();
    expect(x.pendingDispute).not.toBeNull();
  });
});
