import { as, buildLoopWorld, uploadPhoto, type LoopWorld } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface TaskBody {
  id: string;
  number: string;
  status: string;
  version: number;
  unit: { id: string } | null;
  deadline: string | null;
  reworkCount: number;
  reopenCount: number;
  extensionCount: number;
  actions: string[];
  pendingExtension: { id: string } | null;
  pendingDispute: { id: string } | null;
  closedUnverified: boolean | null;
}

describe('the rectification loop over HTTP', () => {
  let t: TestApp;
  let w: LoopWorld;
  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
  });
  afterAll(() => t.close());

  const admin = () => as(t, w.admin.token);
  const inspector = () => as(t, w.inspector.token);
  const unitA = () => as(t, w.unitA.token);
  const unitB = () => as(t, w.unitB.token);

  async function newTask(siteId = w.siteA): Promise<TaskBody> {
    const photo = await uploadPhoto(t, w.inspector.token);
    const res = await inspector().post('/tasks', {
      categoryId: w.categoryId,
      siteId,
      description: '2单元楼道堆放纸箱',
      beforePhotoIds: [photo],
    });
    expect(res.status).toBe(201);
    return res.body as TaskBody;
  }

  async function submitted(): Promise<TaskBody> {
    const task = await newTask();
    const photo = await uploadPhoto(t, w.unitA.token);
    const res = await unitA().post(`/tasks/${task.id}/submissions`, {
      version: task.version,
      description: '已清理',
      afterPhotoIds: [photo],
    });
    expect(res.status).toBe(200);
    return res.body as TaskBody;
  }

  it('routes a task at a site with a default unit to that unit with the category deadline', async () => {
    const task = await newTask();
    expect(task).toMatchObject({ status: 'assigned', unit: { id: w.unitA.unitId }, version: 1 });
    expect(task.number).toMatch(/^ZG-\d{4}-\d{6}$/);
    expect(new Date(task.deadline as string).getTime()).toBeGreaterThan(
      Date.now() + 24 * 3_600_000,
    );
    const [row] = await t.ds.query('SELECT status, unit_id FROM tasks WHERE id = $1', [task.id]);
    expect(row).toEqual({ status: 'assigned', unit_id: w.unitA.unitId });
    const photos = await t.ds.query(`SELECT role FROM task_attachments WHERE task_id = $1`, [
      task.id,
    ]);
    expect(photos).toEqual([{ role: 'before' }]);
  });

  it('leaves a task without a route pending dispatch; only the office dispatches it', async () => {
    const task = await newTask(w.siteNoUnit);
    expect(task).toMatchObject({ status: 'pending_dispatch', unit: null, deadline: null });
    await inspector()
      .post(`/tasks/${task.id}/dispatch`, { version: 1, unitId: w.unitB.unitId })
      .expect(403);
    const res = await admin().post(`/tasks/${task.id}/dispatch`, {
      version: 1,
      unitId: w.unitB.unitId,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'assigned',
      unit: { id: w.unitB.unitId },
      version: 2,
    });
    // Now unit B's: unit A cannot see it.
    await unitA().get(`/tasks/${task.id}`).expect(404);
    await unitB().get(`/tasks/${task.id}`).expect(200);
  });

  it('only the office and inspectors create tasks; the office alone picks a unit or deadline', async () => {
    await unitA()
      .post('/tasks', { categoryId: w.categoryId, siteId: w.siteA, description: 'x' })
      .expect(403);
    const res = await inspector().post('/tasks', {
      categoryId: w.categoryId,
      siteId: w.siteA,
      description: 'x',
      unitId: w.unitB.unitId,
    });
    expect(res.status).toBe(403);
    expect(res.body.errors[0].field).toBe('unitId');
    const bad = await inspector().post('/tasks', {
      categoryId: w.categoryId,
      description: 'no place',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('address');
    const ok = await admin().post('/tasks', {
      categoryId: w.categoryId,
      address: '新桥大街12号',
      description: 'x',
      unitId: w.unitB.unitId,
    });
    expect(ok.status).toBe(201);
    expect(ok.body.unit.id).toBe(w.unitB.unitId);
  });

  it('submit: only the task’s own unit; another unit gets 404; an after-photo is required', async () => {
    const task = await newTask();
    await unitB()
      .post(`/tasks/${task.id}/submissions`, { version: 1, description: '已清理' })
      .expect(404);
    await inspector()
      .post(`/tasks/${task.id}/submissions`, { version: 1, description: '已清理' })
      .expect(403);
    const noPhoto = await unitA().post(`/tasks/${task.id}/submissions`, {
      version: 1,
      description: '已清理',
    });
    expect(noPhoto.status).toBe(422);
    expect(noPhoto.body).toMatchObject({
      code: 'AFTER_PHOTO_REQUIRED',
      errors: [{ field: 'afterPhotoIds' }],
    });
    const foreignPhoto = await uploadPhoto(t, w.unitB.token);
    const stolen = await unitA().post(`/tasks/${task.id}/submissions`, {
      version: 1,
      description: '已清理',
      afterPhotoIds: [foreignPhoto],
    });
    expect(stolen.status).toBe(400);
    const photo = await uploadPhoto(t, w.unitA.token);
    const res = await unitA().post(`/tasks/${task.id}/submissions`, {
      version: 1,
      description: '已清理',
      afterPhotoIds: [photo],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'submitted', version: 2 });
    const [sub] = await t.ds.query(
      'SELECT round, description FROM task_submissions WHERE task_id = $1',
      [task.id],
    );
    expect(sub).toEqual({ round: 1, description: '已清理' });
  });

  it('the unit’s API key acts like its user', async () => {
    const created = await admin()
      .post('/api-keys', { unitId: w.unitA.unitId, name: '网格平台' })
      .expect(201);
    const key = created.body.key as string;
    const task = await newTask();
    const list = await t.http().get('/api/v1/tasks').set('x-api-key', key).expect(200);
    expect(list.body.items.every((i: TaskBody) => i.unit?.id === w.unitA.unitId)).toBe(true);
    const photo = (
      await t
        .http()
        .post('/api/v1/attachments')
        .set('x-api-key', key)
        .attach('file', (await import('./support/fixtures.js')).PNG_1X1, 'a.png')
    ).body.id;
    const res = await t
      .http()
      .post(`/api/v1/tasks/${task.id}/submissions`)
      .set('x-api-key', key)
      .send({ version: 1, description: '已整改', afterPhotoIds: [photo] });
    expect(res.status).toBe(200);
    const events = await admin().get(`/tasks/${task.id}/events`).expect(200);
    expect(events.body.items[1]).toMatchObject({ action: 'submit', actorKind: 'api_key' });
  });

  it('check pass closes (销号); check fail returns it for rework with a new deadline', async () => {
    const a = await submitted();
    await unitA().post(`/tasks/${a.id}/checks`, { version: a.version, result: 'pass' }).expect(403);
    const pass = await inspector().post(`/tasks/${a.id}/checks`, {
      version: a.version,
      result: 'pass',
      note: '已整改到位',
    });
    expect(pass.status).toBe(200);
    expect(pass.body).toMatchObject({
      status: 'closed',
      closedUnverified: false,
      closedOnTime: true,
    });

    const b = await submitted();
    const fail = await inspector().post(`/tasks/${b.id}/checks`, {
      version: b.version,
      result: 'fail',
      note: '仍有堆物',
    });
    expect(fail.status).toBe(200);
    expect(fail.body).toMatchObject({ status: 'assigned', reworkCount: 1 });
    const checks = await t.ds.query('SELECT result FROM task_checks WHERE task_id = $1', [b.id]);
    expect(checks).toEqual([{ result: 'fail' }]);
  });

  it('extension: the unit asks, the office approves with the new deadline kept in history, or refuses', async () => {
    const task = await newTask();
    const later = new Date(
      new Date(task.deadline as string).getTime() + 5 * 86_400_000,
    ).toISOString();
    await unitB()
      .post(`/tasks/${task.id}/extension-requests`, {
        version: 1,
        requestedDeadline: later,
        reason: '需要协调物业',
      })
      .expect(404);
    const asked = await unitA().post(`/tasks/${task.id}/extension-requests`, {
      version: 1,
      requestedDeadline: later,
      reason: '需要协调物业',
    });
    expect(asked.status).toBe(200);
    expect(asked.body.status).toBe('assigned');
    const requestId = asked.body.pendingExtension.id as string;
    const again = await unitA().post(`/tasks/${task.id}/extension-requests`, {
      version: 2,
      requestedDeadline: later,
      reason: '再申请',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('TRANSITION_BLOCKED');
    // The problem's status is the HTTP status; the task's is currentStatus (RFC 9457).
    expect(again.body).toMatchObject({
      status: 409,
      currentStatus: 'assigned',
      action: 'request_extension',
    });
    await unitA()
      .post(`/tasks/${task.id}/extension-requests/${requestId}/decision`, {
        version: 2,
        approve: true,
      })
      .expect(403);
    const ok = await admin().post(`/tasks/${task.id}/extension-requests/${requestId}/decision`, {
      version: 2,
      approve: true,
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ deadline: later, extensionCount: 1, pendingExtension: null });
    const events = await admin().get(`/tasks/${task.id}/events`);
    expect(events.body.items.at(-1)).toMatchObject({
      action: 'approve_extension',
      data: { deadlineFrom: task.deadline, deadlineTo: later, approved: true },
    });

    const asked2 = await unitA().post(`/tasks/${task.id}/extension-requests`, {
      version: 3,
      requestedDeadline: new Date(new Date(later).getTime() + 86_400_000).toISOString(),
      reason: '还需要时间',
    });
    const refused = await admin().post(
      `/tasks/${task.id}/extension-requests/${asked2.body.pendingExtension.id}/decision`,
      { version: 4, approve: false, note: '不予延期' },
    );
    expect(refused.body).toMatchObject({ deadline: later, extensionCount: 1 });
  });

  it('dispute: upheld sends the task back to dispatch; rejected keeps it with the unit', async () => {
    const task = await newTask();
    const d = await unitA().post(`/tasks/${task.id}/disputes`, {
      version: 1,
      reason: '该点位属于城子街道',
    });
    expect(d.status).toBe(200);
    const upheld = await admin().post(
      `/tasks/${task.id}/disputes/${d.body.pendingDispute.id}/decision`,
      { version: 2, uphold: true },
    );
    expect(upheld.body).toMatchObject({ status: 'pending_dispatch', unit: null, deadline: null });
    await unitA().get(`/tasks/${task.id}`).expect(404);

    const other = await newTask();
    const d2 = await unitA().post(`/tasks/${other.id}/disputes`, {
      version: 1,
      reason: '不是我们的',
    });
    const rejected = await admin().post(
      `/tasks/${other.id}/disputes/${d2.body.pendingDispute.id}/decision`,
      { version: 2, uphold: false, note: '属实为贵单位辖区' },
    );
    expect(rejected.body).toMatchObject({
      status: 'assigned',
      unit: { id: w.unitA.unitId },
      pendingDispute: null,
    });
  });

  it('hold (挂账) and resume; cancel; mark duplicate; reopen (反弹); reassign; deadline override', async () => {
    const task = await newTask();
    await unitA()
      .post(`/tasks/${task.id}/hold`, { version: 1, reason: '需工程改造', reviewOn: '2027-03-01' })
      .expect(403);
    const held = await admin().post(`/tasks/${task.id}/hold`, {
      version: 1,
      reason: '需工程改造',
      reviewOn: '2027-03-01',
    });
    expect(held.body).toMatchObject({
      status: 'on_hold',
      holdReason: '需工程改造',
      holdReviewOn: '2027-03-01',
    });
    const resumed = await admin().post(`/tasks/${task.id}/resume`, { version: 2 });
    expect(resumed.body).toMatchObject({ status: 'assigned', holdReason: null });

    const dup = await newTask();
    const marked = await admin().post(`/tasks/${dup.id}/duplicate`, {
      version: 1,
      duplicateOfId: task.id,
    });
    expect(marked.body).toMatchObject({ status: 'cancelled', duplicateOfId: task.id });
    const self = await newTask();
    await admin()
      .post(`/tasks/${self.id}/duplicate`, { version: 1, duplicateOfId: self.id })
      .expect(400);
    const cancelled = await admin().post(`/tasks/${self.id}/cancellation`, {
      version: 1,
      reason: '误报',
    });
    expect(cancelled.body.status).toBe('cancelled');
    const none = await admin().post(`/tasks/${self.id}/cancellation`, {
      version: 2,
      reason: '再撤一次',
    });
    expect(none.status).toBe(409);
    expect(none.body.code).toBe('ILLEGAL_TRANSITION');
    expect(none.body).toMatchObject({ status: 409, currentStatus: 'cancelled', action: 'cancel' });

    const closedTask = await submitted();
    const closed = await inspector().post(`/tasks/${closedTask.id}/checks`, {
      version: closedTask.version,
      result: 'pass',
    });
    await unitA()
      .post(`/tasks/${closedTask.id}/reopen`, { version: closed.body.version, reason: '又有堆物' })
      .expect(403);
    const reopened = await inspector().post(`/tasks/${closedTask.id}/reopen`, {
      version: closed.body.version,
      reason: '又有堆物',
    });
    expect(reopened.body).toMatchObject({ status: 'assigned', reopenCount: 1, closedAt: null });

    const moved = await admin().post(`/tasks/${task.id}/reassignment`, {
      version: resumed.body.version,
      unitId: w.unitB.unitId,
    });
    expect(moved.body.unit.id).toBe(w.unitB.unitId);
    const when = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const overridden = await admin().post(`/tasks/${task.id}/deadline`, {
      version: moved.body.version,
      deadline: when,
      reason: '领导批示',
    });
    expect(overridden.body).toMatchObject({ deadline: when, deadlineOverridden: true });
    const past = await admin().post(`/tasks/${task.id}/deadline`, {
      version: overridden.body.version,
      deadline: '2020-01-01T00:00:00Z',
      reason: 'x',
    });
    expect(past.status).toBe(400);
    expect(past.body.code).toBe('INVALID_DEADLINE');
  });

  it('a self-close category closes on the unit’s submission, visibly unverified', async () => {
    const res = await inspector().post('/tasks', {
      categoryId: w.selfCloseCategoryId,
      siteId: w.siteA,
      description: '电线杆小广告',
    });
    const photo = await uploadPhoto(t, w.unitA.token);
    const sub = await unitA().post(`/tasks/${res.body.id}/submissions`, {
      version: 1,
      description: '已清除',
      afterPhotoIds: [photo],
    });
    expect(sub.body).toMatchObject({
      status: 'closed',
      closedUnverified: true,
      verificationPolicy: 'self_close',
    });
    // The office can require on-site checks for one task.
    const other = await inspector().post('/tasks', {
      categoryId: w.selfCloseCategoryId,
      siteId: w.siteA,
      description: '又一处',
    });
    const set = await admin().patch(`/tasks/${other.body.id}`, {
      version: 1,
      verificationPolicy: 'on_site',
    });
    expect(set.body.verificationPolicy).toBe('on_site');
    const sub2 = await unitA().post(`/tasks/${other.body.id}/submissions`, {
      version: 2,
      description: '已清除',
      afterPhotoIds: [await uploadPhoto(t, w.unitA.token)],
    });
    expect(sub2.body.status).toBe('submitted');
  });

  it('a spot-check category closes what is not drawn and holds what is drawn for a check', async () => {
    const spot = async (ratio: number): Promise<string> => {
      const [row] = (await t.ds.query(
        `INSERT INTO categories (code, name, group_name, measure_word, deadline_rule, verification_policy, spot_check_ratio)
         VALUES ($1, $2, '街面秩序', '起', '{"kind":"work_days","days":1}', 'spot_check', $3) RETURNING id`,
        [`SP${ratio * 10}`, `抽查类别 ${ratio}`, ratio],
      )) as { id: string }[];
      const task = await inspector().post('/tasks', {
        categoryId: row.id,
        siteId: w.siteA,
        description: '店外经营',
      });
      const photo = await uploadPhoto(t, w.unitA.token);
      const res = await unitA().post(`/tasks/${task.body.id}/submissions`, {
        version: 1,
        description: '已整改',
        afterPhotoIds: [photo],
      });
      expect(res.status).toBe(200);
      return `${res.body.status}/${res.body.closedUnverified}`;
    };
    // A share of 0 draws nothing, a share of 1 draws everything: the draw itself is random.
    expect(await spot(0)).toBe('closed/true');
    expect(await spot(1)).toBe('submitted/null');
  });

  it('a stale or missing version changes nothing; If-Match works as the version', async () => {
    const task = await newTask();
    const stale = await admin().post(`/tasks/${task.id}/hold`, {
      version: 7,
      reason: 'x',
      reviewOn: '2027-01-01',
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 1 });
    const missing = await admin().post(`/tasks/${task.id}/hold`, {
      reason: 'x',
      reviewOn: '2027-01-01',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].field).toBe('version');
    const [row] = await t.ds.query('SELECT status, version FROM tasks WHERE id = $1', [task.id]);
    expect(row).toEqual({ status: 'assigned', version: 1 });
    const viaHeader = await t
      .http()
      .post(`/api/v1/tasks/${task.id}/hold`)
      .set('authorization', `Bearer ${w.admin.token}`)
      .set('if-match', '"1"')
      .send({ reason: 'x', reviewOn: '2027-01-01' });
    expect(viaHeader.status).toBe(200);
  });

  it('the history lists every step with actor, states and note; events cannot be changed', async () => {
    const task = await submitted();
    await inspector().post(`/tasks/${task.id}/checks`, {
      version: task.version,
      result: 'fail',
      note: '不合格',
    });
    const res = await unitA().get(`/tasks/${task.id}/events`).expect(200);
    expect(
      res.body.items.map((e: { action: string; fromStatus: string | null; toStatus: string }) => [
        e.action,
        e.fromStatus,
        e.toStatus,
      ]),
    ).toEqual([
      ['create', null, 'assigned'],
      ['submit', 'assigned', 'submitted'],
      ['check_fail', 'submitted', 'assigned'],
    ]);
    expect(res.body.items[2]).toMatchObject({
      actorId: w.inspector.id,
      actorRole: 'inspector',
      note: '不合格',
    });
    await unitB().get(`/tasks/${task.id}/events`).expect(404);
    await expect(
      t.ds.query(`UPDATE task_events SET note = 'x' WHERE task_id = $1`, [task.id]),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.ds.query(`DELETE FROM task_events WHERE task_id = $1`, [task.id]),
    ).rejects.toThrow(/append-only/);
  });
});
