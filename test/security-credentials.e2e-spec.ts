import { JwtService } from '@nestjs/jwt';
import { ApiKey } from '../src/auth/api-key.entity.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('security: credentials', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses an API key that would be born expired (400 naming expiresAt), stores none', async () => {
    const admin = await t.signIn('admin');
    const unit = await t.createUnit();
    for (const expiresAt of ['2020-01-01T00:00:00Z', new Date(Date.now() - 1000).toISOString()]) {
      const res = await t
        .http()
        .post('/api/v1/api-keys')
        .set('authorization', `Bearer ${admin.token}`)
        .send({ unitId: unit.id, name: '过期的密钥', expiresAt });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'expiresAt' })]);
    }
    expect(await t.ds.getRepository(ApiKey).countBy({ unitId: unit.id })).toBe(0);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    await t
      .http()
      .post('/api/v1/api-keys')
      .set('authorization', `Bearer ${admin.token}`)
      .send({ unitId: unit.id, name: '有效的密钥', expiresAt: future })
      .expect(201);
    expect(await t.ds.getRepository(ApiKey).countBy({ unitId: unit.id })).toBe(1);
  });

  it('answers 401, not 400 or 500, to a validly signed token whose subject is no UUID', async () => {
    const jwt = new JwtService({ secret: t.config.auth.jwtSecret });
    for (const sub of ['admin', '1 OR 1=1', '', '00000000-0000-0000-0000-00000000000g']) {
      const token = jwt.sign({ sub, typ: 'access' }, { issuer: 'chuangcheng' });
      const res = await t.http().get('/api/v1/me').set('authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
  });
});
