import { jest } from '@jest/globals';
import { Clock } from '../../src/common/clock.js';
import { as, buildLoopWorld, type LoopWorld } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The "medium" tests: the whole app in-process on a cloned database, driven only through the
 * HTTP API with the injected clock moved step by step, and judged by what the database holds
 * afterwards. Nothing here knows how src/tasks or src/notifications are organised inside.
 */

/** A Beijing wall-clock time ('2026-11-11 18:00') as an instant. */
export const bj = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+08:00`);

/** The parts of a task as the API answers it that these tests read. */
export interface TaskBody {
  id: string;
  number: string;
  version: number;
  status: string;
  closedOnTime: boolean | null;
  closedUnverified: boolean | null;
  deadline: string | null;
  unit: { id: string } | null;
  beforePhotoIds: string[];
  pendingExtension: { id: string } | null;
  pendingDispute: { id: string } | null;
}

/** A supertest request: awaiting it sends it. */
type Sent = PromiseLike<{ status: number; body: unknown }>;

/** The task a successful call answers with (201 for a create, 200 for an action). */
export async function ok(res: Sent): Promise<TaskBody> {
  const r = await res;
  if (r.status !== 200 && r.status !== 201) {
    throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  }
  return r.body as TaskBody;
}

export interface MediumWorld {
  t: TestApp;
  w: LoopWorld;
  /** Checked on site (the default policy), no after-photo required, 3 work days. */
  checkedCategory: string;
  /** Closed on the unit's submission (self_close), no after-photo required. */
  selfCloseCategory: string;
  /** Sets the clock the service reads (Beijing wall-clock time). */
  setNow: (local: string) => void;
  now: () => Date;
  office: () => ReturnType<typeof as>;
  inspector: () => ReturnType<typeof as>;
  unitA: () => ReturnType<typeof as>;
  unitB: () => ReturnType<typeof as>;
  close: () => Promise<void>;
}

let categorySeq = 0;

/** An app with the clock under the test's control, the loop world and two plain categories. */
export async function mediumWorld(
  start: string,
  env: Record<string, string> = {},
): Promise<MediumWorld> {
  const t = await createTestApp(env);
  let now = bj(start);
  const clock = jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => now);
  const w = await buildLoopWorld(t);
  categorySeq += 1;
  const [checked] = (await t.ds.query(
    `INSERT INTO categories (code, name, group_name, measure_word, deadline_rule, requires_after_photo)
     VALUES ($1, '乱堆物料', '街面秩序', '处', '{"kind":"work_days","days":3}', false) RETURNING id`,
    [`MC${categorySeq}`],
  )) as { id: string }[];
  const [selfClose] = (await t.ds.query(
    `INSERT INTO categories (code, name, group_name, measure_word, deadline_rule, requires_after_photo, verification_policy)
     VALUES ($1, '占道广告牌', '宣传广告', '块', '{"kind":"work_days","days":1}', false, 'self_close') RETURNING id`,
    [`MS${categorySeq}`],
  )) as { id: string }[];
  return {
    t,
    w,
    checkedCategory: checked.id,
    selfCloseCategory: selfClose.id,
    setNow: (local) => {
      now = bj(local);
    },
    now: () => now,
    office: () => as(t, w.admin.token),
    inspector: () => as(t, w.inspector.token),
    unitA: () => as(t, w.unitA.token),
    unitB: () => as(t, w.unitB.token),
    close: async () => {
      clock.mockRestore();
      await t.close();
    },
  };
}

/** The last event of a task, as the audit trail holds it. */
export async function lastEvent(
  t: TestApp,
  taskId: string,
): Promise<{ id: string; action: string; from_status: string; to_status: string }> {
  const [e] = (await t.ds.query(
    `SELECT id::text AS id, action, from_status, to_status FROM task_events e WHERE e.task_id = $1 ORDER BY e.id DESC LIMIT 1`,
    [taskId],
  )) as { id: string; action: string; from_status: string; to_status: string }[];
  return e;
}
