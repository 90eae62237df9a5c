import { gzipSync } from 'node:zlib';
import type { Response } from 'supertest';
import { COMPRESSION_THRESHOLD_BYTES } from '../src/common/http/compression.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';
import { binary } from './support/binary.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Answers go compressed to a client that asks (a phone on a weak signal reads a page of tasks at
 * an eighth of its size), byte for byte the same once unpacked; files already compressed and
 * small answers go as they are; a compressed request body is not unpacked.
 */
describe('compressed answers (Accept-Encoding)', () => {
  let t: TestApp;
  let w: LoopWorld;

  /** GET as the office with this Accept-Encoding; the body as raw bytes (unpacked by supertest). */
  const get = (path: string, acceptEncoding: string) =>
    t
      .http()
      .get(path)
      .set('authorization', `Bearer ${w.admin.token}`)
      .set('accept-encoding', acceptEncoding)
      .buffer(true)
      .parse(binary);
  const bytes = (res: Response): Buffer => res.body as Buffer;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    for (const d of ['三号楼楼道堆物', '小区门口乱停车', '广场遛狗不牵绳'])
      await as(t, w.inspector.token)
        .post('/tasks', { categoryId: w.categoryId, siteId: w.siteA, description: d })
        .expect(201);
  });
  afterAll(() => t.close());

  it.each(['gzip', 'deflate'])(
    'the task list goes %s-encoded, the same JSON unpacked',
    async (enc) => {
      const plain = await get('/api/v1/tasks', 'identity').expect(200);
      const packed = await get('/api/v1/tasks', enc).expect(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(Number(plain.headers['content-length'])).toBe(bytes(plain).length);
      expect(bytes(plain).length).toBeGreaterThan(COMPRESSION_THRESHOLD_BYTES);
      expect(packed.headers['content-encoding']).toBe(enc);
      expect(packed.headers.vary).toMatch(/accept-encoding/i);
      expect(bytes(packed).equals(bytes(plain))).toBe(true);
      const items = (JSON.parse(bytes(plain).toString('utf8')) as { items: unknown[] }).items;
      expect(items).toHaveLength(3);
    },
  );

  it('without Accept-Encoding, or with x-no-compression, the answer goes as it is', async () => {
    const none = await t
      .http()
      .get('/api/v1/tasks')
      .set('authorization', `Bearer ${w.admin.token}`)
      .unset('accept-encoding')
      .expect(200);
    expect(none.headers['content-encoding']).toBeUndefined();
    const refused = await get('/api/v1/tasks', 'gzip').set('x-no-compression', '1').expect(200);
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('a small answer goes as it is', async () => {
    const health = await get('/health', 'gzip').expect(200);
    expect(bytes(health).length).toBeLessThan(COMPRESSION_THRESHOLD_BYTES);
    expect(health.headers['content-encoding']).toBeUndefined();
  });

  it('the csv 台账 streams gzipped, the same file unpacked; the xlsx (already a zip) goes as it is', async () => {
    const plain = await get('/api/v1/tasks/export?format=csv', 'identity').expect(200);
    const packed = await get('/api/v1/tasks/export?format=csv', 'gzip').expect(200);
    expect(packed.headers['content-encoding']).toBe('gzip');
    expect(packed.headers['content-disposition']).toBe(plain.headers['content-disposition']);
    expect(bytes(packed).toString('utf8')).toBe(bytes(plain).toString('utf8'));
    expect(bytes(plain).toString('utf8')).toContain('小区门口乱停车');

    const xlsx = await get('/api/v1/tasks/export?format=xlsx', 'gzip').expect(200);
    expect(xlsx.headers['content-encoding']).toBeUndefined();
    expect(bytes(xlsx).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('a gzipped request body is not unpacked: 400 MALFORMED_JSON, and nothing is created', async () => {
    const count = async (): Promise<number> =>
      Number((await t.ds.query(`SELECT count(*)::int AS n FROM tasks`))[0].n);
    const before = await count();
    const body = gzipSync(
      JSON.stringify({ categoryId: w.categoryId, siteId: w.siteA, description: '压缩的请求' }),
    );
    const res = await t
      .http()
      .post('/api/v1/tasks')
      .set('authorization', `Bearer ${w.inspector.token}`)
      .set('content-type', 'application/json')
      .set('content-encoding', 'gzip')
      // The bytes as they are (supertest would otherwise write the Buffer out as JSON).
      .serialize((b: Buffer) => b as unknown as string)
      .send(body);
    expect([res.status, (res.body as { code: string }).code]).toEqual([400, 'MALFORMED_JSON']);
    expect(await count()).toBe(before);
  });
});
