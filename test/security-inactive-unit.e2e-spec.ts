import { WebhooksService } from '../src/notifications/webhooks.service.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from './support/test-app.js';

describe('security: a deactivated unit gets nothing and does nothing', () => {
  let t: TestApp;
  let w: LoopWorld;
  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
  });
  afterAll(() => t.close());

  const setActive = (unitId: string, active: boolean) =>
    as(t, w.admin.token).patch(`/units/${unitId}`, { active }).expect(200);

  const newTask = async (siteId: string): Promise<{ id: string; version: number }> => {
    const res = await as(t, w.inspector.token)
      .post('/tasks', { categoryId: w.categoryId, siteId, description: '楼道堆放杂物' })
      .expect(201);
    return res.body as { id: string; version: number };
  };

  const taskRow = async (id: string): Promise<{ status: string; unit_id: string | null }> =>
    (
      (await t.ds.query('SELECT status, unit_id FROM tasks WHERE id = $1', [id])) as {
        status: string;
        unit_id: string | null;
      }[]
    )[0];

  it('its users cannot sign in, refresh, or use an access token they already hold', async () => {
    const unit = await t.createUnit();
    const { token, user } = await t.signIn('unit', { unitId: unit.id });
    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: TEST_PASSWORD })
      .expect(200);
    await setActive(unit.id, false);
    const tokensBefore = (await t.ds.query(
      'SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1',
      [user.id],
    )) as { n: number }[];

    const again = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: TEST_PASSWORD });
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('UNIT_INACTIVE');

    const refresh = await t
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: login.body.refreshToken });
    expect(refresh.status).toBe(401);
    expect(refresh.body.code).toBe('UNIT_INACTIVE');

    for (const path of ['/me', '/tasks']) {
      const res = await as(t, token).get(path);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNIT_INACTIVE');
    }
    const tokensAfter = (await t.ds.query(
      'SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1',
      [user.id],
    )) as { n: number }[];
    expect(tokensAfter[0].n).toBe(tokensBefore[0].n);

    // Reactivated, the same login works again.
    await setActive(unit.id, true);
    await as(t, token).get('/me').expect(200);
  });

  it('a site whose default unit is inactive routes nowhere: the task waits for dispatch', async () => {
    await setActive(w.unitA.unitId, false);
    try {
      const task = await newTask(w.siteA);
      expect(await taskRow(task.id)).toEqual({ status: 'pending_dispatch', unit_id: null });
    } finally {
      await setActive(w.unitA.unitId, true);
    }
  });

  it('dispatch and reassignment to an inactive unit are refused (422 naming unitId)', async () => {
    const inactive = await t.createUnit();
    await setActive(inactive.id, false);
    const pending = await newTask(w.siteNoUnit);
    const dispatch = await as(t, w.admin.token).post(`/tasks/${pending.id}/dispatch`, {
      unitId: inactive.id,
      version: pending.version,
    });
    expect(dispatch.status).toBe(422);
    expect(dispatch.body.errors).toEqual([expect.objectContaining({ field: 'unitId' })]);
    expect(await taskRow(pending.id)).toEqual({ status: 'pending_dispatch', unit_id: null });

    const assigned = await newTask(w.siteA);
    const reassign = await as(t, w.admin.token).post(`/tasks/${assigned.id}/reassignment`, {
      unitId: inactive.id,
      version: assigned.version,
    });
    expect(reassign.status).toBe(422);
    expect(reassign.body.errors).toEqual([expect.objectContaining({ field: 'unitId' })]);
    expect(await taskRow(assigned.id)).toEqual({ status: 'assigned', unit_id: w.unitA.unitId });
  });

  it('a reassignment racing a deactivation waits for it, then is refused', async () => {
    const target = await t.createUnit();
    const task = await newTask(w.siteA);
    // The deactivation, held open: it has changed the unit row but not committed yet.
    const deactivation = t.ds.createQueryRunner();
    await deactivation.connect();
    await deactivation.startTransaction();
    try {
      await deactivation.query('SELECT id FROM units WHERE id = $1 FOR UPDATE', [target.id]);
      await deactivation.query('UPDATE units SET active = false WHERE id = $1', [target.id]);
      const reassign = as(t, w.admin.token)
        .post(`/tasks/${task.id}/reassignment`, { unitId: target.id, version: task.version })
        .then((r) => r);
      // Wait until the reassignment blocks on the unit's row lock (or answers, unfixed).
      let settled = false;
      void reassign.then(() => (settled = true));
      for (let i = 0; i < 100 && !settled; i++) {
        const [{ n }] = (await t.ds.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )) as { n: number }[];
        if (n > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await deactivation.commitTransaction();
      const res = await reassign;
      expect(res.status).toBe(422);
    } finally {
      if (deactivation.isTransactionActive) await deactivation.rollbackTransaction();
      await deactivation.release();
    }
    expect(await taskRow(task.id)).toEqual({ status: 'assigned', unit_id: w.unitA.unitId });
  });

  it('its webhook receives no deliveries while it is inactive', async () => {
    const unit = await t.createUnit();
    await t.ds.query('UPDATE units SET webhook_url = $2, webhook_secret = $3 WHERE id = $1', [
      unit.id,
      'https://93.184.216.34/hook',
      'secret',
    ]);
    const webhooks = t.app.get(WebhooksService);
    await setActive(unit.id, false);
    expect(
      await webhooks.record(t.ds.manager, unit.id, 'k-inactive', 'task.cancel', {}),
    ).toBeNull();
    await setActive(unit.id, true);
    expect(await webhooks.record(t.ds.manager, unit.id, 'k-active', 'task.cancel', {})).toEqual(
      expect.any(String),
    );
    const keys = (await t.ds.query(
      'SELECT delivery_key FROM webhook_deliveries WHERE unit_id = $1',
      [unit.id],
    )) as { delivery_key: string }[];
    expect(keys.map((k) => k.delivery_key)).toEqual(['k-active']);
  });
});
