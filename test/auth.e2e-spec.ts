import { createTestApp, TEST_PASSWORD, type TestApp } from './support/test-app.js';
import { ApiKey } from '../src/auth/api-key.entity.js';
import { JwtService } from '@nestjs/jwt';

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT: '5' });
  });
  afterAll(() => t.close());

  it('logs in with the right password and answers /me', async () => {
    const { token, user } = await t.signIn('inspector');
    const me = await t.http().get('/api/v1/me').set('authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toEqual({
      kind: 'user',
      id: user.id,
      role: 'inspector',
      unitId: null,
      displayName: user.displayName,
    });
  });

  it('refuses a wrong password and an unknown user alike, with a problem body', async () => {
    const { user } = await t.signIn('inspector');
    const wrong = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: 'nope-nope-nope' });
    const unknown = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'nobody-here', password: 'nope-nope-nope' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({
        status: 401,
        code: 'INVALID_CREDENTIALS',
        instance: '/api/v1/auth/login',
      });
      expect(res.body.requestId).toEqual(expect.any(String));
    }
  });

  it('rate limits logins per address and username (429), other usernames unaffected', async () => {
    const { user } = await t.signIn('inspector');
    // signIn already used one of the five attempts.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ username: user.username, password: 'wrong-password' });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    const blocked = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: TEST_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const other = await t.signIn('inspector');
    expect(other.token).toBeTruthy();
  });

  it('rejects a missing, forged or expired token with 401', async () => {
    await t.http().get('/api/v1/me').expect(401);
    const forged = new JwtService({ secret: 'another-secret-another-secret-another!!' }).sign(
      { sub: '00000000-0000-0000-0000-000000000000', typ: 'access' },
      { issuer: 'chuangcheng' },
    );
    const res = await t.http().get('/api/v1/me').set('authorization', `Bearer ${forged}`);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    const { user } = await t.signIn('admin');
    const expired = new JwtService({ secret: t.config.auth.jwtSecret }).sign(
      { sub: user.id, typ: 'access', exp: Math.floor(Date.now() / 1000) - 10 },
      { issuer: 'chuangcheng' },
    );
    const exp = await t.http().get('/api/v1/me').set('authorization', `Bearer ${expired}`);
    expect(exp.status).toBe(401);
    expect(exp.body.code).toBe('TOKEN_EXPIRED');
  });

  it('rotates refresh tokens; reusing an old one revokes the whole login', async () => {
    const { user } = await t.signIn('inspector');
    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: TEST_PASSWORD })
      .expect(200);
    const first = login.body.refreshToken as string;
    const second = await t
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: first })
      .expect(200);
    expect(second.body.accessToken).toEqual(expect.any(String));
    await t
      .http()
      .get('/api/v1/me')
      .set('authorization', `Bearer ${second.body.accessToken}`)
      .expect(200);
    // The first token again: treated as stolen, the family (including the second) is revoked.
    const reuse = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: first });
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('INVALID_REFRESH_TOKEN');
    await t
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: second.body.refreshToken })
      .expect(401);
    const open = await t.ds.query(
      'SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = encode(sha256($2::bytea), $3)) AND revoked_at IS NULL',
      [user.id, first, 'hex'],
    );
    expect(open[0].n).toBe(0);
  });

  it('logout ends the login', async () => {
    const { user } = await t.signIn('inspector');
    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: TEST_PASSWORD })
      .expect(200);
    await t
      .http()
      .post('/api/v1/auth/logout')
      .send({ refreshToken: login.body.refreshToken })
      .expect(204);
    await t
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: login.body.refreshToken })
      .expect(401);
  });

  it('a deactivated user is locked out at once, even with a live token', async () => {
    const admin = await t.signIn('admin');
    const { token, user } = await t.signIn('inspector');
    await t
      .http()
      .patch(`/api/v1/users/${user.id}`)
      .set('authorization', `Bearer ${admin.token}`)
      .send({ active: false })
      .expect(200);
    await t.http().get('/api/v1/me').set('authorization', `Bearer ${token}`).expect(401);
  });

  it('enforces roles: 403 for a role that may not, 200 for one that may', async () => {
    const inspector = await t.signIn('inspector');
    const unit = await t.signIn('unit');
    const admin = await t.signIn('admin');
    for (const who of [inspector, unit]) {
      const res = await t.http().get('/api/v1/users').set('authorization', `Bearer ${who.token}`);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    await t.http().get('/api/v1/users').set('authorization', `Bearer ${admin.token}`).expect(200);
    // Catalog: readable by everyone signed in, writable by admin only.
    await t
      .http()
      .get('/api/v1/categories')
      .set('authorization', `Bearer ${unit.token}`)
      .expect(200);
    await t
      .http()
      .post('/api/v1/units')
      .set('authorization', `Bearer ${inspector.token}`)
      .send({ code: 'X', name: 'X', kind: 'street' })
      .expect(403);
  });

  describe('unit API keys', () => {
    it('are shown once, stored hashed, scoped to their unit, kept out of admin routes and revocable', async () => {
      const admin = await t.signIn('admin');
      const unit = await t.createUnit('东辛房街道');
      const created = await t
        .http()
        .post('/api/v1/api-keys')
        .set('authorization', `Bearer ${admin.token}`)
        .send({ unitId: unit.id, name: '网格化平台' })
        .expect(201);
      const key = created.body.key as string;
      expect(key).toMatch(/^cck_/);
      const stored = await t.ds
        .getRepository(ApiKey)
        .createQueryBuilder('k')
        .addSelect('k.keyHash')
        .where('k.id = :id', { id: created.body.id })
        .getOneOrFail();
      expect(stored.keyHash).not.toContain(key.slice(17));
      expect(stored.keyHash).toHaveLength(64);
      const list = await t
        .http()
        .get('/api/v1/api-keys')
        .set('authorization', `Bearer ${admin.token}`)
        .expect(200);
      expect(JSON.stringify(list.body)).not.toContain(key);

      const me = await t.http().get('/api/v1/me').set('x-api-key', key).expect(200);
      expect(me.body).toMatchObject({ kind: 'api_key', role: 'unit', unitId: unit.id });
      await t.http().get('/api/v1/me').set('authorization', `Bearer ${key}`).expect(200);
      for (const path of ['/api/v1/users', '/api/v1/api-keys']) {
        const res = await t.http().get(path).set('x-api-key', key);
        expect(res.status).toBe(403);
      }
      await t
        .http()
        .post('/api/v1/me/password')
        .set('x-api-key', key)
        .send({ currentPassword: 'x', newPassword: 'yyyyyyyyyyyy' })
        .expect(403);

      await t
        .http()
        .delete(`/api/v1/api-keys/${created.body.id}`)
        .set('authorization', `Bearer ${admin.token}`)
        .expect(200);
      const revoked = await t.http().get('/api/v1/me').set('x-api-key', key);
      expect(revoked.status).toBe(401);
      await t
        .http()
        .get('/api/v1/me')
        .set('x-api-key', key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A'))
        .expect(401);
    });
  });
});
