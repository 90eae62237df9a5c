import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { AttachmentsService } from '../src/attachments/attachments.service.js';
import type { Principal } from '../src/common/auth/principal.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { binary } from './support/binary.js';

const MAX_BYTES = 2048;

/** A real 1×1 PNG; `tail` makes each copy a different blob (decoders ignore bytes after IEND). */
const ONE_PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const png = (tail = randomBytes(16)): Buffer => Buffer.concat([ONE_PIXEL_PNG, tail]);
/** A real 1×1 JPEG (made with sharp); `size` pads it after the end-of-image marker, which decoders ignore. */
const JPEG_1X1 = Buffer.from(
  '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAABAAEDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAX/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABAb/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCAAArX/9k=',
  'base64',
);
const jpeg = (size = 400): Buffer =>
  Buffer.concat([JPEG_1X1, randomBytes(Math.max(16, size - JPEG_1X1.length))]);
/** A real 1×1 lossless WEBP (made with sharp). */
const webp = (): Buffer =>
  Buffer.from('UklGRh4AAABXRUJQVlA4TBEAAAAvAAAAAAdQhSJXof+BiOh/AAA=', 'base64');
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('attachments: evidence photos', () => {
  let t: TestApp;
  let root: string;
  let admin: string;
  let inspector: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cc-attachments-'));
    t = await createTestApp({ STORAGE_ROOT: root, UPLOAD_MAX_BYTES: String(MAX_BYTES) });
    admin = (await t.signIn('admin')).token;
    inspector = (await t.signIn('inspector')).token;
  });
  afterAll(async () => {
    await t.close();
    await rm(root, { recursive: true, force: true });
  });

  const upload = (
    token: string | null,
    data: Buffer,
    filename = 'photo.bin',
    contentType = 'application/octet-stream',
  ) => {
    const req = t.http().post('/api/v1/attachments');
    if (token) req.set('authorization', `Bearer ${token}`);
    return req.attach('file', data, { filename, contentType });
  };
  const get = (token: string | null, path: string) => {
    const req = t.http().get(`/api/v1/attachments/${path}`);
    if (token) req.set('authorization', `Bearer ${token}`);
    return req.buffer(true).parse(binary);
  };
  const rowCount = async (): Promise<number> =>
    Number((await t.ds.query('SELECT count(*)::int AS n FROM attachments'))[0].n);
  /** Every file under the storage root, temporary ones included. */
  const storedFiles = async (): Promise<string[]> =>
    (await readdir(root, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
      .sort();
  const problem = (res: Response): { code: string; errors?: { field: string }[] } =>
    JSON.parse(res.body.toString('utf8'));

  it('an Idempotency-Key makes a retried upload answer the first one: one row; the key reused for another photo is 422', async () => {
    const data = png();
    const key = `phone-photo-${randomBytes(6).toString('hex')}`;
    const send = (bytes: Buffer, k = key) =>
      upload(inspector, bytes, '现场.png', 'image/png').set('idempotency-key', k);
    const before = await rowCount();
    const first = await send(data).expect(201);
    const again = await send(data).expect(201);
    expect(again.body).toEqual(first.body);
    expect(await rowCount()).toBe(before + 1);
    const reused = await send(png()).expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await rowCount()).toBe(before + 1);
    // Another caller's same key is another request.
    const other = await upload(admin, data, '现场.png', 'image/png')
      .set('idempotency-key', key)
      .expect(201);
    expect(other.body.id).not.toBe(first.body.id);
    // Without a key, the same photo twice is two rows (the bytes are stored once).
    await upload(inspector, data, '现场.png', 'image/png').expect(201);
    expect(await rowCount()).toBe(before + 3);
    await send(data, 'bad key!').expect(400);
  });

  it.each([
    ['PNG', png(), 'image/png'],
    ['JPEG', jpeg(), 'image/jpeg'],
    ['WEBP', webp(), 'image/webp'],
  ])(
    'stores a %s: 201, a row in the database, the bytes on disk by their SHA-256',
    async (_, data, mime) => {
      const unitUser = await t.signIn('unit');
      const res = await upload(unitUser.token, data, '整改前.jpg').expect(201);
      const hash = sha256(data);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        sha256: hash,
        mime,
        sizeBytes: data.length,
        originalName: '整改前.jpg',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        // These tiny images carry no EXIF, and the client declared nothing.
        capture: {
          exif: { capturedAt: null, lat: null, lng: null },
          declared: { capturedAt: null, lat: null, lng: null, accuracyM: null },
        },
      });
      const [row] = await t.ds.query('SELECT * FROM attachments WHERE id = $1', [res.body.id]);
      expect(row).toMatchObject({
        sha256: hash,
        mime,
        size_bytes: data.length,
        storage_key: `${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`,
        original_name: '整改前.jpg',
        uploaded_by_kind: 'user',
        uploaded_by_id: unitUser.user.id,
        unit_id: unitUser.user.unitId,
      });
      expect(await readFile(join(root, hash.slice(0, 2), hash.slice(2, 4), hash))).toEqual(data);
      expect((await storedFiles()).filter((f) => f.includes('.tmp'))).toEqual([]);
    },
  );

  it('the same photo uploaded twice is two rows over one blob; office uploads carry no unit', async () => {
    const data = png();
    const first = await upload(admin, data).expect(201);
    const second = await upload(inspector, data).expect(201);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body.sha256).toBe(first.body.sha256);
    const rows = await t.ds.query('SELECT unit_id FROM attachments WHERE sha256 = $1', [
      sha256(data),
    ]);
    expect(rows).toEqual([{ unit_id: null }, { unit_id: null }]);
    expect((await storedFiles()).filter((f) => f.endsWith(sha256(data)))).toHaveLength(1);
  });

  it('a unit API key may upload; the row names the key', async () => {
    const unit = await t.createUnit();
    const created = await t
      .http()
      .post('/api/v1/api-keys')
      .set('authorization', `Bearer ${admin}`)
      .send({ unitId: unit.id, name: '网格平台' })
      .expect(201);
    const res = await t
      .http()
      .post('/api/v1/attachments')
      .set('x-api-key', created.body.key)
      .attach('file', jpeg(), { filename: 'a.jpg', contentType: 'image/jpeg' })
      .expect(201);
    const [row] = await t.ds.query(
      'SELECT uploaded_by_kind, uploaded_by_id, unit_id FROM attachments WHERE id = $1',
      [res.body.id],
    );
    expect(row).toEqual({
      uploaded_by_kind: 'api_key',
      uploaded_by_id: created.body.id,
      unit_id: unit.id,
    });
  });

  it('an image of exactly UPLOAD_MAX_BYTES is accepted: the limit is inclusive', async () => {
    const res = await upload(admin, jpeg(MAX_BYTES), 'edge.jpg', 'image/jpeg');
    expect(res.status).toBe(201);
    expect(res.body.sizeBytes).toBe(MAX_BYTES);
  });

  describe('refused uploads store nothing', () => {
    let unitToken: string;
    let rowsBefore: number;
    let filesBefore: string[];
    beforeAll(async () => {
      unitToken = (await t.signIn('unit')).token;
    });
    beforeEach(async () => {
      rowsBefore = await rowCount();
      filesBefore = await storedFiles();
    });
    afterEach(async () => {
      expect(await rowCount()).toBe(rowsBefore);
      expect(await storedFiles()).toEqual(filesBefore);
    });

    it('a text file → 415 ATTACHMENT_NOT_AN_IMAGE', async () => {
      const res = await upload(
        unitToken,
        Buffer.from('just some notes\n'),
        'notes.txt',
        'text/plain',
      );
      expect(res.status).toBe(415);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('ATTACHMENT_NOT_AN_IMAGE');
    });

    it('a text file named x.jpg and declared image/jpeg → 415: the bytes decide', async () => {
      const res = await upload(unitToken, Buffer.from('not really a photo'), 'x.jpg', 'image/jpeg');
      expect(res.status).toBe(415);
      expect(res.body.code).toBe('ATTACHMENT_NOT_AN_IMAGE');
    });

    it('an image over UPLOAD_MAX_BYTES → 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await upload(unitToken, jpeg(5 * 1024), 'big.jpg', 'image/jpeg');
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', maxBytes: MAX_BYTES });
    });

    it('a multipart body without a file → 400 naming `file`', async () => {
      const res = await t
        .http()
        .post('/api/v1/attachments')
        .set('authorization', `Bearer ${unitToken}`)
        .field('note', '整改前');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(res.body.errors[0].field).toBe('file');
    });

    it('a file under another field name → 400 naming `file`', async () => {
      const res = await t
        .http()
        .post('/api/v1/attachments')
        .set('authorization', `Bearer ${unitToken}`)
        .attach('photo', png(), { filename: 'a.png', contentType: 'image/png' });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('file');
    });

    it('a JSON body → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const res = await t
        .http()
        .post('/api/v1/attachments')
        .set('authorization', `Bearer ${unitToken}`)
        .send({ file: png().toString('base64') });
      expect(res.status).toBe(415);
      expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('a multipart body without a boundary → 400 MALFORMED_MULTIPART', async () => {
      const res = await t
        .http()
        .post('/api/v1/attachments')
        .set('authorization', `Bearer ${unitToken}`)
        .set('content-type', 'multipart/form-data')
        .send('garbage');
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('MALFORMED_MULTIPART');
    });

    it('no credentials → 401', async () => {
      const res = await upload(null, png(), 'a.png', 'image/png');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('reading', () => {
    let ownUnitId: string;
    let uploader: string;
    let colleague: string;
    let stranger: string;
    let data: Buffer;
    let id: string;

    beforeAll(async () => {
      const u = await t.signIn('unit');
      ownUnitId = u.user.unitId as string;
      uploader = u.token;
      colleague = (await t.signIn('unit', { unitId: ownUnitId })).token;
      stranger = (await t.signIn('unit')).token;
      data = png();
      id = (await upload(uploader, data, 'a.png', 'image/png').expect(201)).body.id;
    });

    it('the uploader downloads the very bytes, with type, caching and ETag headers', async () => {
      const res = await get(uploader, id).expect(200);
      expect(Buffer.compare(res.body as Buffer, data)).toBe(0);
      expect(res.headers).toMatchObject({
        'content-type': 'image/png',
        'content-length': String(data.length),
        'cache-control': 'private, max-age=86400',
        etag: `"${sha256(data)}"`,
        'x-content-type-options': 'nosniff',
      });
    });

    it('If-None-Match with the ETag → 304 without a body', async () => {
      const res = await get(uploader, id).set('if-none-match', `"${sha256(data)}"`);
      expect(res.status).toBe(304);
      expect((res.body as Buffer).length).toBe(0);
      expect(res.headers.etag).toBe(`"${sha256(data)}"`);
      await get(uploader, id).set('if-none-match', '"something-else"').expect(200);
    });

    it('meta returns the DTO and nothing about the uploader or the storage', async () => {
      const res = await t
        .http()
        .get(`/api/v1/attachments/${id}/meta`)
        .set('authorization', `Bearer ${uploader}`)
        .expect(200);
      expect(Object.keys(res.body).sort()).toEqual(
        ['capture', 'createdAt', 'id', 'mime', 'originalName', 'sha256', 'sizeBytes'].sort(),
      );
      expect(res.body).toMatchObject({ id, mime: 'image/png', sha256: sha256(data) });
    });

    it('another user of the same unit may read it', async () => {
      await get(colleague, id).expect(200);
    });

    it('another unit gets 404, not 403, on the photo and its meta', async () => {
      const photo = await get(stranger, id);
      expect(photo.status).toBe(404);
      expect(problem(photo).code).toBe('ATTACHMENT_NOT_FOUND');
      const meta = await get(stranger, `${id}/meta`);
      expect(meta.status).toBe(404);
      expect(problem(meta).code).toBe('ATTACHMENT_NOT_FOUND');
    });

    it('inspectors and admins read every photo', async () => {
      for (const token of [inspector, admin]) {
        const res = await get(token, id).expect(200);
        expect(Buffer.compare(res.body as Buffer, data)).toBe(0);
        await get(token, `${id}/meta`).expect(200);
      }
    });

    it('a unit reads photos on its own tasks, whoever uploaded them; other units still get 404', async () => {
      const photo = await upload(inspector, jpeg(), 'before.jpg', 'image/jpeg').expect(201);
      const unitUser = await t.signIn('unit');
      await get(unitUser.token, photo.body.id).expect(404);

      const inspectorId = (
        await t.ds.query(`SELECT id FROM users WHERE role = 'inspector' LIMIT 1`)
      )[0].id as string;
      const [category] = await t.ds.query(
        `INSERT INTO categories (code, name, group_name, measure_word, deadline_rule)
         VALUES ($1, $1, '测试', '处', '{"kind":"immediate"}') RETURNING id`,
        [`T${randomBytes(3).toString('hex')}`],
      );
      const [task] = await t.ds.query(
        `INSERT INTO tasks (number, category_id, address, description, unit_id, status,
                            assigned_at, deadline, created_by)
         VALUES ($1, $2, '测试路 1 号', '垃圾堆放', $3, 'assigned', now(), now() + interval '1 day', $4)
         RETURNING id`,
        [`T-${randomBytes(4).toString('hex')}`, category.id, unitUser.user.unitId, inspectorId],
      );
      const [event] = await t.ds.query(
        `INSERT INTO task_events (task_id, action, to_status, actor_kind, actor_id, actor_name)
         VALUES ($1, 'create', 'assigned', 'user', $2, '督导员') RETURNING id`,
        [task.id, inspectorId],
      );
      await t.ds.query(
        `INSERT INTO task_attachments (task_id, attachment_id, role, event_id)
         VALUES ($1, $2, 'before', $3)`,
        [task.id, photo.body.id, event.id],
      );

      await get(unitUser.token, photo.body.id).expect(200);
      await get(unitUser.token, `${photo.body.id}/meta`).expect(200);
      await get(stranger, photo.body.id).expect(404);
    });

    it('no credentials → 401; a malformed id → 400 naming it; an unknown id → 404', async () => {
      const anon = await get(null, id);
      expect(anon.status).toBe(401);
      const bad = await get(uploader, 'not-a-uuid');
      expect(bad.status).toBe(400);
      expect(problem(bad).errors?.[0].field).toBe('id');
      const badMeta = await get(uploader, 'not-a-uuid/meta');
      expect(badMeta.status).toBe(400);
      const unknown = await get(admin, '00000000-0000-4000-8000-000000000000');
      expect(unknown.status).toBe(404);
      expect(problem(unknown).code).toBe('ATTACHMENT_NOT_FOUND');
    });
  });

  describe('assertUsable: the check other features make before citing photos', () => {
    const principalOf = (user: { id: string; role: Principal['role']; unitId: string | null }) => ({
      kind: 'user' as const,
      id: user.id,
      role: user.role,
      unitId: user.unitId,
      displayName: 'x',
    });

    it('accepts own photos (in the order given), refuses others’ and unknown ids with a 400 naming the field', async () => {
      const service = t.app.get(AttachmentsService);
      const a = await t.signIn('unit');
      const b = await t.signIn('unit', { unitId: a.user.unitId as string });
      const one = (await upload(a.token, png()).expect(201)).body.id as string;
      const two = (await upload(a.token, jpeg()).expect(201)).body.id as string;
      const theirs = (await upload(b.token, png()).expect(201)).body.id as string;
      const me = principalOf(a.user);

      const rows = await service.assertUsable(t.ds.manager, [two, one], me, 'afterPhotoIds');
      expect(rows.map((r) => r.id)).toEqual([two, one]);
      expect(await service.assertUsable(t.ds.manager, [], me, 'afterPhotoIds')).toEqual([]);

      const refusals: [string[], string][] = [
        [[one, theirs], 'attachmentUsable'], // a colleague's photo is not mine to cite
        [[one, '00000000-0000-4000-8000-000000000000'], 'attachmentUsable'],
        [[one, 'nope'], 'isUuid'],
        [[one, one.toUpperCase()], 'arrayUnique'],
      ];
      for (const [ids, code] of refusals) {
        await expect(
          service.assertUsable(t.ds.manager, ids, me, 'afterPhotoIds'),
        ).rejects.toMatchObject({
          kind: 'invalid',
          code: 'VALIDATION_FAILED',
          details: { errors: [{ field: 'afterPhotoIds', code }] },
        });
      }

      const inspectorUser = (
        await t.ds.query(`SELECT id FROM users WHERE role = 'inspector' LIMIT 1`)
      )[0];
      const asInspector = principalOf({ id: inspectorUser.id, role: 'inspector', unitId: null });
      const all = await service.assertUsable(t.ds.manager, [one, theirs], asInspector, 'photoIds');
      expect(all).toHaveLength(2);
    });
  });
});
