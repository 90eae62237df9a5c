import { EscalationService } from '../src/notifications/escalation.service.js';
import { DigestService } from '../src/reports/digest/digest.service.js';
import { as, buildLoopWorld, uploadPhoto, type LoopWorld } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface Task {
  id: string;
  number: string;
  version: number;
  status: string;
  actions: string[];
  acknowledgedAt: string | null;
  awaitingAcknowledgement: boolean;
}

const HOUR = 3_600_000;

/** 签收 (ACK_REQUIRED): the unit signs for its task; unsigned tasks are escalated past the limit. */
describe('签收 with ACK_REQUIRED=true', () => {
  let t: TestApp;
  let w: LoopWorld;

  beforeAll(async () => {
    t = await createTestApp({ ACK_REQUIRED: 'true', ACK_LIMIT_HOURS: '4' });
    w = await buildLoopWorld(t);
  });
  afterAll(() => t.close());

  const createForA = async (description = '楼道堆放杂物'): Promise<Task> => {
    const res = await as(t, w.inspector.token)
      .post('/tasks', { categoryId: w.categoryId, siteId: w.siteA, description })
      .expect(201);
    return res.body as Task;
  };
  const detail = async (token: string, id: string): Promise<Task> =>
    (await as(t, token).get(`/tasks/${id}`).expect(200)).body as Task;
  const taskRow = async (id: string) =>
    (
      (await t.ds.query(
        `SELECT acknowledged_at, acknowledged_by_kind, acknowledged_by_id, unit_assigned_at,
                acknowledgement_escalated_at, version FROM tasks WHERE id = $1`,
        [id],
      )) as {
        acknowledged_at: Date | null;
        acknowledged_by_kind: string | null;
        acknowledged_by_id: string | null;
        unit_assigned_at: Date | null;
        acknowledgement_escalated_at: Date | null;
        version: number;
      }[]
    )[0];
  const unsignedNotifications = async (taskNumber: string) =>
    (await t.ds.query(
      `SELECT user_id, audience, kind, title, body FROM notifications
        WHERE body LIKE '%' || $1 || '%' AND title LIKE '%未签收%' ORDER BY audience, user_id`,
      [taskNumber],
    )) as { user_id: string | null; audience: string; kind: string; title: string; body: string }[];

  it('offers 签收 to the own unit only, and records who signed and when, with an event', async () => {
    const x = await createForA();
    expect(x.status).toBe('assigned');

    const own = await detail(w.unitA.token, x.id);
    expect(own.actions).toContain('acknowledge');
    expect(own.awaitingAcknowledgement).toBe(true);
    expect(own.acknowledgedAt).toBeNull();
    expect((await detail(w.admin.token, x.id)).actions).not.toContain('acknowledge');

    // Another unit: the task does not exist for it. The office: not its action.
    await as(t, w.unitB.token)
      .post(`/tasks/${x.id}/acknowledgement`, { version: x.version })
      .expect(404);
    const office = await as(t, w.admin.token)
      .post(`/tasks/${x.id}/acknowledgement`, { version: x.version })
      .expect(403);
    expect(office.body.code).toBe('FORBIDDEN');
    expect((await taskRow(x.id)).acknowledged_at).toBeNull();

    const res = await as(t, w.unitA.token)
      .post(`/tasks/${x.id}/acknowledgement`, { version: x.version })
      .expect(200);
    expect(res.body).toMatchObject({
      status: 'assigned',
      version: x.version + 1,
      awaitingAcknowledgement: false,
      acknowledgedAt: expect.any(String),
    });
    expect(res.body.actions).not.toContain('acknowledge');
    const row = await taskRow(x.id);
    expect(row.acknowledged_at?.toISOString()).toBe(res.body.acknowledgedAt);
    expect(row).toMatchObject({ acknowledged_by_kind: 'user', acknowledged_by_id: w.unitA.id });
    const events = (await t.ds.query(
      `SELECT action, from_status, to_status, actor_id, data FROM task_events
        WHERE task_id = $1 ORDER BY id`,
      [x.id],
    )) as {
      action: string;
      from_status: string;
      to_status: string;
      actor_id: string;
      data: Record<string, unknown>;
    }[];
    expect(events.map((e) => e.action)).toEqual(['create', 'acknowledge']);
    expect(events[1]).toMatchObject({
      from_status: 'assigned',
      to_status: 'assigned',
      actor_id: w.unitA.id,
      data: { unitId: w.unitA.unitId, hoursToSign: expect.any(Number) },
    });

    // Signing twice: blocked, nothing written.
    const again = await as(t, w.unitA.token)
      .post(`/tasks/${x.id}/acknowledgement`, { version: res.body.version })
      .expect(409);
    expect(again.body).toMatchObject({ code: 'TRANSITION_BLOCKED', detail: '任务已签收' });
    expect((await taskRow(x.id)).version).toBe(res.body.version);
    // A stale version: 409 VERSION_CONFLICT, as for every action.
    const stale = await as(t, w.unitA.token)
      .post(`/tasks/${x.id}/acknowledgement`, { version: x.version })
      .expect(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
  });

  it('clears the signature on 改派: the new unit signs again', async () => {
    const x = await createForA();
    const signed = (
      await as(t, w.unitA.token)
        .post(`/tasks/${x.id}/acknowledgement`, { version: x.version })
        .expect(200)
    ).body as Task;
    const moved = (
      await as(t, w.admin.token)
        .post(`/tasks/${x.id}/reassignment`, { version: signed.version, unitId: w.unitB.unitId })
        .expect(200)
    ).body as Task;
    expect(moved).toMatchObject({ acknowledgedAt: null, awaitingAcknowledgement: true });
    const row = await taskRow(x.id);
    expect(row).toMatchObject({ acknowledged_at: null, acknowledged_by_id: null });
    expect(row.unit_assigned_at).toBeInstanceOf(Date);
    expect((await detail(w.unitB.token, x.id)).actions).toContain('acknowledge');
  });

  it('a 整改反馈 signs an unsigned task; a 返工 keeps the signature', async () => {
    const x = await createForA();
    const photo = await uploadPhoto(t, w.unitA.token);
    const submitted = (
      await as(t, w.unitA.token)
        .post(`/tasks/${x.id}/submissions`, {
          version: x.version,
          description: '已清理',
          afterPhotoIds: [photo],
        })
        .expect(200)
    ).body as Task;
    expect(submitted.acknowledgedAt).toEqual(expect.any(String));
    expect((await taskRow(x.id)).acknowledged_by_id).toBe(w.unitA.id);
    const back = (
      await as(t, w.inspector.token)
        .post(`/tasks/${x.id}/checks`, {
          version: submitted.version,
          result: 'fail',
          note: '未清理干净',
        })
        .expect(200)
    ).body as Task;
    expect(back).toMatchObject({
      status: 'assigned',
      acknowledgedAt: submitted.acknowledgedAt,
      awaitingAcknowledgement: false,
    });
  });

  it('lists the unsigned assigned tasks with acknowledged=false, the signed with true', async () => {
    const unsigned = await createForA('待签收的任务');
    const signedTask = await createForA('已签收的任务');
    await as(t, w.unitA.token)
      .post(`/tasks/${signedTask.id}/acknowledgement`, { version: signedTask.version })
      .expect(200);
    const ids = async (q: string) =>
      (
        (await as(t, w.admin.token).get(`/tasks?${q}&limit=200`).expect(200)).body.items as Task[]
      ).map((i) => i.id);
    const open = await ids('acknowledged=false');
    expect(open).toContain(unsigned.id);
    expect(open).not.toContain(signedTask.id);
    const [{ n }] = (await t.ds.query(
      `SELECT count(*)::int AS n FROM tasks WHERE status = 'assigned' AND acknowledged_at IS NULL`,
    )) as { n: number }[];
    expect(open).toHaveLength(n);
    const done = await ids('acknowledged=true');
    expect(done).toContain(signedTask.id);
    expect(done).not.toContain(unsigned.id);
    // A unit sees only its own.
    const b = (await as(t, w.unitB.token).get('/tasks?acknowledged=false').expect(200)).body
      .items as Task[];
    expect(b.map((i) => i.id)).not.toContain(unsigned.id);
    await as(t, w.admin.token).get('/tasks?acknowledged=maybe').expect(400);
  });

  it('escalates an unsigned task past the limit once, to its unit and the office; signed ones not', async () => {
    const late = await createForA('超时未签收');
    const signedTask = await createForA('按时签收');
    await as(t, w.unitA.token)
      .post(`/tasks/${signedTask.id}/acknowledgement`, { version: signedTask.version })
      .expect(200);
    const scan = t.app.get(EscalationService);

    // Within the limit (4 h): nothing.
    await scan.scan(new Date(Date.now() + 3 * HOUR));
    expect(await unsignedNotifications(late.number)).toEqual([]);
    expect((await taskRow(late.id)).acknowledgement_escalated_at).toBeNull();

    // Past it: the unit's user and one office row, 督办 超时未签收.
    const later = new Date(Date.now() + 5 * HOUR);
    await scan.scan(later);
    const told = await unsignedNotifications(late.number);
    expect(told).toEqual([
      {
        user_id: w.unitA.id,
        audience: 'user',
        kind: 'escalation',
        title: expect.stringMatching(/^督办：你单位\d+个整改任务超时未签收$/),
        body: expect.stringContaining('已超过4小时仍未签收'),
      },
    ]);
    const office = async () =>
      (await t.ds.query(
        `SELECT kind, title, body FROM notifications
          WHERE audience = 'office' AND title LIKE '%超时未签收%'`,
      )) as { kind: string; title: string; body: string }[];
    // Every unsigned task of this scan, of any unit (the 改派 one above is unit B's), once.
    const marked = (await t.ds.query(
      `SELECT u.name, count(*)::int AS n FROM tasks t JOIN units u ON u.id = t.unit_id
        WHERE t.acknowledgement_escalated_at = $1 GROUP BY u.name ORDER BY n DESC, u.name`,
      [later],
    )) as { name: string; n: number }[];
    const total = marked.reduce((sum, m) => sum + m.n, 0);
    expect(marked.map((m) => m.name)).toContain('东辛房街道');
    expect(await office()).toEqual([
      {
        kind: 'escalation',
        title: `督办：${total} 个任务超时未签收`,
        body: expect.stringContaining(`本次扫描新增超时未签收任务${total}个：`),
      },
    ]);
    for (const m of marked) expect((await office())[0].body).toContain(`${m.name}${m.n}个`);
    expect((await taskRow(late.id)).acknowledgement_escalated_at?.toISOString()).toBe(
      later.toISOString(),
    );
    expect((await taskRow(signedTask.id)).acknowledgement_escalated_at).toBeNull();
    expect(await unsignedNotifications(signedTask.number)).toEqual([]);

    // Once: a later scan says nothing more of it.
    await scan.scan(new Date(Date.now() + 9 * HOUR));
    expect(await unsignedNotifications(late.number)).toHaveLength(1);
    expect(await office()).toHaveLength(1);

    // The unsigned task's escalation is not the deadline's: no 督办 of an overdue task was recorded.
    const [{ n }] = (await t.ds.query(
      `SELECT count(*)::int AS n FROM task_escalations WHERE task_id = $1 AND level <> 'reminder'`,
      [late.id],
    )) as { n: number }[];
    expect(n).toBe(0);
  });

  it('tells nobody of a 签收 itself', async () => {
    const x = await createForA();
    await as(t, w.unitA.token)
      .post(`/tasks/${x.id}/acknowledgement`, { version: x.version })
      .expect(200);
    const rows = (await t.ds.query(
      `SELECT count(*)::int AS n FROM notifications WHERE task_id = $1 AND kind <> 'assigned'`,
      [x.id],
    )) as { n: number }[];
    expect(rows[0].n).toBe(0);
  });

  it('gives the digest each unit’s signing rate and median hours to sign, as counted by hand', async () => {
    // A fresh unit, so its figures are only these tasks: given 10 h ago (limit 4 h).
    const unitC = await t.createUnit('龙泉镇');
    const [site] = (await t.ds.query(
      `INSERT INTO sites (name, kind, default_unit_id) VALUES ('龙泉社区', '社区', $1) RETURNING id`,
      [unitC.id],
    )) as { id: string }[];
    const make = async () =>
      (
        await as(t, w.inspector.token)
          .post('/tasks', { categoryId: w.categoryId, siteId: site.id, description: '签收统计' })
          .expect(201)
      ).body as Task;
    const [a, b, c, d] = [await make(), await make(), await make(), await make()];
    const given = new Date(Date.now() - 10 * HOUR);
    const at = (h: number) => new Date(given.getTime() + h * HOUR);
    const sign = (id: string, when: Date | null) =>
      t.ds.query(
        `UPDATE tasks SET unit_assigned_at = $2, acknowledged_at = $3,
                acknowledged_by_kind = CASE WHEN $3::timestamptz IS NULL THEN NULL ELSE 'user' END,
                acknowledged_by_id = CASE WHEN $3::timestamptz IS NULL THEN NULL ELSE $4::uuid END
          WHERE id = $1`,
        [id, given, when, w.unitA.id],
      );
    await sign(a.id, at(1)); // in time, 1 h
    await sign(b.id, at(3)); // in time, 3 h
    await sign(c.id, at(6)); // late, 6 h
    await sign(d.id, null); // never, past the limit
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
      new Date(),
    );
    const from = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(given);
    const digest = await t.app.get(DigestService).compute(from, today);
    const row = digest.units.find((u) => u.unitId === unitC.id);
    // 2 of 4 signed within 4 h; median of 1, 3, 6 h is 3 h.
    expect(row?.acknowledgement).toEqual({
      assigned: 4,
      signedInTime: 2,
      signingRate: 0.5,
      medianHoursToSign: 3,
    });
    const res = await as(t, w.admin.token)
      .get(`/reports/digest?from=${from}&to=${today}`)
      .expect(200);
    const viaHttp = (res.body.units as { unitId: string; acknowledgement?: unknown }[]).find(
      (u) => u.unitId === unitC.id,
    );
    expect(viaHttp?.acknowledgement).toEqual(row?.acknowledgement);
  });
});

describe('签收 with ACK_REQUIRED unset: today’s behaviour', () => {
  let t: TestApp;
  let w: LoopWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
  });
  afterAll(() => t.close());

  it('offers no 签收, refuses it, escalates nothing unsigned, filters nothing and adds no digest figure', async () => {
    const x = (
      await as(t, w.inspector.token)
        .post('/tasks', { categoryId: w.categoryId, siteId: w.siteA, description: '楼道堆物' })
        .expect(201)
    ).body as Task;
    const own = (await as(t, w.unitA.token).get(`/tasks/${x.id}`).expect(200)).body as Task;
    expect(own.actions).toEqual(['submit', 'request_extension', 'dispute']);
    expect(own).toMatchObject({ acknowledgedAt: null, awaitingAcknowledgement: false });
    const res = await as(t, w.unitA.token)
      .post(`/tasks/${x.id}/acknowledgement`, { version: x.version })
      .expect(409);
    expect(res.body).toMatchObject({ code: 'TRANSITION_BLOCKED', detail: '无需签收' });

    await t.app.get(EscalationService).scan(new Date(Date.now() + 100 * HOUR));
    const [row] = (await t.ds.query(
      `SELECT acknowledgement_escalated_at, acknowledged_at FROM tasks WHERE id = $1`,
      [x.id],
    )) as { acknowledgement_escalated_at: Date | null; acknowledged_at: Date | null }[];
    expect(row).toEqual({ acknowledgement_escalated_at: null, acknowledged_at: null });
    const told = (await t.ds.query(
      `SELECT count(*)::int AS n FROM notifications WHERE title LIKE '%未签收%'`,
    )) as { n: number }[];
    expect(told[0].n).toBe(0);

    const list = (await as(t, w.admin.token).get('/tasks?acknowledged=false').expect(200)).body;
    expect(list.items).toEqual([]);

    const digest = (await as(t, w.admin.token).get('/reports/digest?period=this-week').expect(200))
      .body as { units: Record<string, unknown>[] };
    expect(digest.units.length).toBeGreaterThan(0);
    for (const u of digest.units) expect(u).not.toHaveProperty('acknowledgement');
  });
});
