import { seedCategories } from '../src/catalog/category-seed.js';
import { ensureFirstAdmin } from '../src/auth/bootstrap-admin.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('office administration: units, users, catalog', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = (await t.signIn('admin')).token;
  });
  afterAll(() => t.close());

  const as = (token: string) => ({
    get: (path: string) => t.http().get(`/api/v1${path}`).set('authorization', `Bearer ${token}`),
    post: (path: string, body: object) =>
      t.http().post(`/api/v1${path}`).set('authorization', `Bearer ${token}`).send(body),
    patch: (path: string, body: object) =>
      t.http().patch(`/api/v1${path}`).set('authorization', `Bearer ${token}`).send(body),
  });

  it('creates, lists with filters and cursors, and updates units; duplicates are a 409 naming the field', async () => {
    const a = as(admin);
    for (const [code, name, kind] of [
      ['DXF', '东辛房街道', 'street'],
      ['CZ', '城子街道', 'street'],
      ['YD', '永定镇', 'town'],
      ['CGW', '区城管委', 'bureau'],
    ]) {
      await a.post('/units', { code, name, kind }).expect(201);
    }
    const dup = await a.post('/units', { code: 'DXF', name: '另一个', kind: 'street' });
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0]).toMatchObject({ field: 'code', code: 'unique' });

    const streets = await a.get('/units?kind=street&limit=1').expect(200);
    expect(streets.body.items).toHaveLength(1);
    const next = await a
      .get(`/units?kind=street&limit=1&cursor=${streets.body.nextCursor}`)
      .expect(200);
    expect(next.body.items).toHaveLength(1);
    expect(next.body.items[0].id).not.toBe(streets.body.items[0].id);
    expect(next.body.nextCursor).toBeNull();

    const town = (await a.get('/units?q=永定').expect(200)).body.items[0];
    const updated = await a.patch(`/units/${town.id}`, { active: false }).expect(200);
    expect(updated.body.active).toBe(false);
    await a.get('/units/00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('creates users; a unit user needs an active unit, other roles none; passwords are never returned', async () => {
    const a = as(admin);
    const unit = await t.createUnit('潭柘寺镇');
    const noUnit = await a.post('/users', {
      username: 'tz01',
      displayName: '潭柘寺',
      role: 'unit',
      password: 'long-enough-pw',
    });
    expect(noUnit.status).toBe(400);
    expect(noUnit.body.errors[0].field).toBe('unitId');
    const inspectorWithUnit = await a.post('/users', {
      username: 'insp01',
      displayName: '督导员',
      role: 'inspector',
      unitId: unit.id,
      password: 'long-enough-pw',
    });
    expect(inspectorWithUnit.status).toBe(400);
    const created = await a
      .post('/users', {
        username: 'tz01',
        displayName: '潭柘寺',
        role: 'unit',
        unitId: unit.id,
        password: 'long-enough-pw',
      })
      .expect(201);
    expect(JSON.stringify(created.body)).not.toMatch(/password/i);
    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'tz01', password: 'long-enough-pw' })
      .expect(200);
    expect(login.body.principal).toMatchObject({ role: 'unit', unitId: unit.id });
    const list = await a.get(`/users?unitId=${unit.id}`).expect(200);
    expect(list.body.items.map((u: { username: string }) => u.username)).toEqual(['tz01']);
    await a
      .post('/users', {
        username: 'tz01',
        displayName: 'x',
        role: 'admin',
        password: 'long-enough-pw',
      })
      .expect(409);
    // A new password ends the user's sessions.
    await a.patch(`/users/${created.body.id}`, { password: 'another-long-pw' }).expect(200);
    await t
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: login.body.refreshToken })
      .expect(401);
  });

  it('manages categories and sites; everybody signed in reads them', async () => {
    const a = as(admin);
    const unit = await t.createUnit('大峪街道');
    const cat = await a
      .post('/categories', {
        code: 'T01',
        name: '测试堆物',
        groupName: '市容环境',
        measureWord: '处',
        deadlineRule: { kind: 'work_days', days: 3 },
      })
      .expect(201);
    expect(cat.body).toMatchObject({
      deadlineLabel: '3个工作日',
      verificationPolicy: 'on_site',
      requiresAfterPhoto: true,
    });
    const badRule = await a.post('/categories', {
      code: 'T02',
      name: '坏时限',
      groupName: '市容环境',
      measureWord: '处',
      deadlineRule: { kind: 'work_days' },
    });
    expect(badRule.status).toBe(400);
    expect(badRule.body.errors[0].field).toBe('deadlineRule.days');
    const site = await a
      .post('/sites', {
        name: '永定楼公园',
        kind: '公园广场',
        lat: 39.94,
        lng: 116.1,
        defaultUnitId: unit.id,
      })
      .expect(201);
    expect(site.body.defaultUnitId).toBe(unit.id);
    const halfCoords = await a.post('/sites', { name: '半个坐标', kind: '道路', lat: 39.9 });
    expect(halfCoords.status).toBe(400);
    const unitUser = await t.signIn('unit', { unitId: unit.id });
    const u = as(unitUser.token);
    expect(
      (await u.get('/sites?kind=公园广场').expect(200)).body.items.map(
        (s: { name: string }) => s.name,
      ),
    ).toEqual(['永定楼公园']);
    await u.get(`/categories/${cat.body.id}`).expect(200);
    await u.post('/sites', { name: 'x', kind: 'y' }).expect(403);
  });

  it('seeds the default catalog idempotently', async () => {
    const first = await seedCategories(t.ds, 'config');
    expect(first.inserted).toBeGreaterThanOrEqual(20);
    const again = await seedCategories(t.ds, 'config');
    expect(again.inserted).toBe(0);
    const names = (await t.ds.query('SELECT name FROM categories')).map(
      (r: { name: string }) => r.name,
    );
    expect(names).toEqual(
      expect.arrayContaining([
        '楼道堆物',
        '机动车乱停放',
        '遛狗不牵绳',
        '店外经营',
        '占道经营',
        '非法小广告',
        '违规电子显示屏',
        '公益广告缺失',
      ]),
    );
    const updated = await seedCategories(t.ds, 'config', { update: true });
    expect(updated).toEqual({ inserted: 0, updated: first.inserted });
  });

  it('creates the first admin once, even when asked twice at the same time', async () => {
    await t.ds.query(`DELETE FROM refresh_tokens; DELETE FROM api_keys; DELETE FROM users`);
    const results = await Promise.all([
      ensureFirstAdmin(t.ds, { username: 'boss', password: 'boss-password-1' }),
      ensureFirstAdmin(t.ds, { username: 'boss', password: 'boss-password-1' }),
    ]);
    expect(results.sort()).toEqual(['created', 'exists']);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'boss', password: 'boss-password-1' })
      .expect(200);
  });
});
