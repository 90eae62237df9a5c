import { jest } from '@jest/globals';
import { Clock } from '../src/common/clock.js';
import { as, buildLoopWorld, uploadPhoto, type LoopWorld } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * What the transition runner writes besides the status, each asserted on the database so that the
 * one-line mistakes issue 10 lists fail here: "on time" judged from the check instead of the
 * submission, or always "on time"; pending requests that do not lapse; events (and so the outbox
 * and its notifications) carrying the task's current unit instead of the unit they concerned.
 */
describe('effects of task actions', () => {
  let t: TestApp;
  let w: LoopWorld;
  let now: Date;
  const HOUR = 3_600_000;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => now);
  });
  afterAll(() => t.close());

  const admin = () => as(t, w.admin.token);
  const inspector = () => as(t, w.inspector.token);
  const unitA = () => as(t, w.unitA.token);

  interface Task {
    id: string;
    version: number;
    deadline: string;
    pendingExtension: { id: string } | null;
    pendingDispute: { id: string } | null;
  }

  /** A task for unit A created at a fixed Monday morning in Beijing. */
  async function newTask(categoryId = w.categoryId): Promise<Task> {
    now = new Date('2026-03-02T01:00:00Z');
    const res = await inspector().post('/tasks', {
      categoryId,
      siteId: w.siteA,
      description: '楼道堆物',
    });
    expect(res.status).toBe(201);
    return res.body as Task;
  }

  async function submitAt(task: Task, at: Date): Promise<Task> {
    const photo = await uploadPhoto(t, w.unitA.token);
    now = at;
    const res = await unitA().post(`/tasks/${task.id}/submissions`, {
      version: task.version,
      description: '已清理',
      afterPhotoIds: [photo],
    });
    expect(res.status).toBe(200);
    return res.body as Task;
  }

  async function closedOnTime(id: string): Promise<boolean | null> {
    const [row] = await t.ds.query('SELECT closed_on_time FROM tasks WHERE id = $1', [id]);
    return row.closed_on_time as boolean | null;
  }

  const deadlineOf = (task: Task): number => new Date(task.deadline).getTime();

  describe('on time (按期结案) is judged from the submission, not the check', () => {
    it('an on-time submission checked late closed on time', async () => {
      const task = await newTask();
      const sub = await submitAt(task, new Date(deadlineOf(task) - HOUR));
      now = new Date(deadlineOf(task) + 48 * HOUR);
      const res = await inspector().post(`/tasks/${task.id}/checks`, {
        version: sub.version,
        result: 'pass',
      });
      expect(res.body).toMatchObject({ status: 'closed', closedOnTime: true });
      expect(await closedOnTime(task.id)).toBe(true);
    });

    it('a late submission checked at once did not', async () => {
      const task = await newTask();
      const sub = await submitAt(task, new Date(deadlineOf(task) + HOUR));
      now = new Date(deadlineOf(task) + 2 * HOUR);
      await inspector()
        .post(`/tasks/${task.id}/checks`, { version: sub.version, result: 'pass' })
        .expect(200);
      expect(await closedOnTime(task.id)).toBe(false);
    });

    it('after a failed check (返工) the unit stays judged by its first deadline', async () => {
      const task = await newTask();
      const sub = await submitAt(task, new Date(deadlineOf(task) - HOUR));
      now = new Date(deadlineOf(task) + HOUR);
      const fail = await inspector().post(`/tasks/${task.id}/checks`, {
        version: sub.version,
        result: 'fail',
      });
      // The rework deadline lies ahead; the resubmission before it is still past the first one.
      expect(new Date(fail.body.deadline).getTime()).toBeGreaterThan(now.getTime());
      const again = await submitAt(fail.body as Task, new Date(now.getTime() + HOUR));
      await inspector()
        .post(`/tasks/${task.id}/checks`, { version: again.version, result: 'pass' })
        .expect(200);
      expect(await closedOnTime(task.id)).toBe(false);
    });

    it('a self-close (免复查) submission decides it from itself: late is late, in time is on time', async () => {
      const late = await newTask(w.selfCloseCategoryId);
      const closedLate = await submitAt(late, new Date(deadlineOf(late) + HOUR));
      expect(closedLate).toMatchObject({ status: 'closed', closedUnverified: true });
      expect(await closedOnTime(late.id)).toBe(false);
      const early = await newTask(w.selfCloseCategoryId);
      await submitAt(early, new Date(deadlineOf(early) - HOUR));
      expect(await closedOnTime(early.id)).toBe(true);
    });
  });

  describe('pending requests lapse when the task moves on', () => {
    async function requestExtension(task: Task): Promise<Task> {
      const res = await unitA().post(`/tasks/${task.id}/extension-requests`, {
        version: task.version,
        requestedDeadline: new Date(deadlineOf(task) + 72 * HOUR).toISOString(),
        reason: '协调物业',
      });
      expect(res.status).toBe(200);
      return res.body as Task;
    }
    async function dispute(task: Task): Promise<Task> {
      const res = await unitA().post(`/tasks/${task.id}/disputes`, {
        version: task.version,
        reason: '不属本单位',
      });
      expect(res.status).toBe(200);
      return res.body as Task;
    }
    /** The request's status and whether it was decided by the task's latest event. */
    async function fate(table: string, taskId: string): Promise<[string, boolean]> {
      const [row] = await t.ds.query(
        `SELECT r.status, r.decision_event_id = (SELECT max(id) FROM task_events WHERE task_id = $1) AS by_last
           FROM ${table} r WHERE r.task_id = $1`,
        [taskId],
      );
      return [row.status, row.by_last];
    }

    it('on hold (挂账)', async () => {
      const task = await requestExtension(await newTask());
      await admin()
        .post(`/tasks/${task.id}/hold`, {
          version: task.version,
          reason: '需工程',
          reviewOn: '2026-06-01',
        })
        .expect(200);
      expect(await fate('extension_requests', task.id)).toEqual(['refused', true]);
    });

    it('on cancel', async () => {
      const task = await dispute(await newTask());
      await admin()
        .post(`/tasks/${task.id}/cancellation`, { version: task.version, reason: '误报' })
        .expect(200);
      expect(await fate('task_disputes', task.id)).toEqual(['rejected', true]);
    });

    it('on reassign (a pending dispute of the unit it leaves)', async () => {
      const task = await dispute(await newTask());
      await admin()
        .post(`/tasks/${task.id}/reassignment`, { version: task.version, unitId: w.unitB.unitId })
        .expect(200);
      expect(await fate('task_disputes', task.id)).toEqual(['rejected', true]);
    });

    it('on reopen (反弹): a request left on a closed task does not come back with it', async () => {
      const task = await newTask(w.selfCloseCategoryId);
      const closed = await submitAt(task, new Date(deadlineOf(task) - HOUR));
      // No action leaves a request pending on a closed task; one written by hand stands for a
      // request from before, so that reopening it is seen to end it.
      const [event] = await t.ds.query('SELECT max(id) AS id FROM task_events WHERE task_id = $1', [
        task.id,
      ]);
      await t.ds.query(
        `INSERT INTO extension_requests (task_id, requested_deadline, reason, status, request_event_id)
         VALUES ($1, $2, '旧申请', 'pending', $3)`,
        [task.id, new Date(deadlineOf(task) + 72 * HOUR), event.id],
      );
      const reopened = await inspector().post(`/tasks/${task.id}/reopen`, {
        version: closed.version,
        reason: '又有小广告',
      });
      expect(reopened.status).toBe(200);
      expect(reopened.body.pendingExtension).toBeNull();
      expect(await fate('extension_requests', task.id)).toEqual(['refused', true]);
    });

    it('but not on a deadline override while the unit keeps working', async () => {
      const task = await requestExtension(await newTask());
      await admin()
        .post(`/tasks/${task.id}/deadline`, {
          version: task.version,
          deadline: new Date(deadlineOf(task) + 24 * HOUR).toISOString(),
          reason: '领导批示',
        })
        .expect(200);
      expect((await fate('extension_requests', task.id))[0]).toBe('pending');
    });
  });

  it('each event, and so its outbox row, names the unit it concerned, whatever the task’s unit now', async () => {
    const task = await newTask();
    const disputed = await unitA().post(`/tasks/${task.id}/disputes`, {
      version: task.version,
      reason: '属城子街道',
    });
    const upheld = await admin().post(
      `/tasks/${task.id}/disputes/${disputed.body.pendingDispute.id}/decision`,
      { version: disputed.body.version, uphold: true },
    );
    expect(upheld.body).toMatchObject({ status: 'pending_dispatch', unit: null });
    const dispatched = await admin().post(`/tasks/${task.id}/dispatch`, {
      version: upheld.body.version,
      unitId: w.unitB.unitId,
    });
    expect(dispatched.status).toBe(200);
    const rows: { action: string; unit_id: string | null }[] = await t.ds.query(
      `SELECT e.action, e.data->>'unitId' AS unit_id
         FROM outbox o JOIN task_events e ON e.id = (o.payload->>'eventId')::bigint
        WHERE o.topic = 'task-event' AND e.task_id = $1 ORDER BY e.id`,
      [task.id],
    );
    expect(rows).toEqual([
      { action: 'create', unit_id: w.unitA.unitId },
      { action: 'dispute', unit_id: w.unitA.unitId },
      // The office's answer goes to the unit that disputed, though the task now has none.
      { action: 'uphold_dispute', unit_id: w.unitA.unitId },
      { action: 'dispatch', unit_id: w.unitB.unitId },
    ]);
  });
});
