import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { Attachment } from '../src/attachments/attachment.entity.js';
import { PhotoVariantsService } from '../src/attachments/evidence/photo-variants.service.js';
import { officeClock, officeDay } from '../src/common/time/office-zone.js';
import { as, buildLoopWorld, PNG_1X1, type LoopWorld } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { parseCsv } from './support/csv.js';
import { binary } from './support/binary.js';

/** Evidence that can be trusted (issue 13): what photos carry, what clients declare, 照片存疑. */

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** EXIF's `YYYY:MM:DD HH:MM:SS` of an instant, on Beijing's wall clock. */
const exifClock = (d: Date): string =>
  officeClock(d).toISOString().slice(0, 19).replace(/-/g, ':').replace('T', ' ');

/** Degrees as EXIF's three rationals (degrees, minutes, seconds to 1/1000). */
const dms = (deg: number): string => {
  const a = Math.abs(deg);
  const d = Math.floor(a);
  const m = Math.floor((a - d) * 60);
  const s = Math.round(((a - d) * 60 - m) * 60 * 1000);
  return `${d}/1 ${m}/1 ${s}/1000`;
};

/**
 * A JPEG made here, of noise (the worst case for a thumbnail's size), with EXIF written by sharp:
 * DateTimeOriginal (and OffsetTimeOriginal when given) and a GPS position, each only when given.
 */
async function photo(
  opts: { taken?: Date; offset?: string; wall?: string; lat?: number; lng?: number } = {},
  size = { width: 1600, height: 1200 },
): Promise<Buffer> {
  const pixels = Buffer.alloc(size.width * size.height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919 + (i >> 7) * 104729) % 251;
  const exif: Record<string, Record<string, string>> = { IFD0: { Make: 'EvidenceTest' } };
  const wall = opts.wall ?? (opts.taken ? exifClock(opts.taken) : undefined);
  if (wall) {
    exif.IFD2 = { DateTimeOriginal: wall };
    if (opts.offset) exif.IFD2.OffsetTimeOriginal = opts.offset;
  }
  if (opts.lat !== undefined && opts.lng !== undefined) {
    exif.IFD3 = {
      GPSLatitudeRef: opts.lat >= 0 ? 'N' : 'S',
      GPSLatitude: dms(opts.lat),
      GPSLongitudeRef: opts.lng >= 0 ? 'E' : 'W',
      GPSLongitude: dms(opts.lng),
    };
  }
  return sharp(pixels, { raw: { ...size, channels: 3 } })
    .jpeg({ quality: 90 })
    .withExif(exif)
    .toBuffer();
}

/** The task's position, and points about `metres` north of it (0.001° of latitude ≈ 111.2 m). */
const TASK_AT = { lat: 39.9375, lng: 116.0958 };
const north = (metres: number): { lat: number; lng: number } => ({
  lat: TASK_AT.lat + metres / 111_195,
  lng: TASK_AT.lng,
});

describe('evidence: capture facts, derived copies and 照片存疑', () => {
  let t: TestApp;
  let w: LoopWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
  });
  afterAll(() => t.close());

  const upload = (token: string, data: Buffer, fields: Record<string, string> = {}) => {
    const req = t.http().post('/api/v1/attachments').set('authorization', `Bearer ${token}`);
    for (const [k, v] of Object.entries(fields)) void req.field(k, v);
    return req.attach('file', data, { filename: 'photo.jpg', contentType: 'image/jpeg' });
  };
  const download = (token: string, id: string, variant?: string) =>
    t
      .http()
      .get(`/api/v1/attachments/${id}${variant ? `?variant=${variant}` : ''}`)
      .set('authorization', `Bearer ${token}`)
      .buffer(true)
      .parse(binary);
  const row = async (id: string): Promise<Record<string, unknown>> =>
    (await t.ds.query('SELECT * FROM attachments WHERE id = $1', [id]))[0];
  const attachmentCount = async (): Promise<number> =>
    (await t.ds.query('SELECT count(*)::int AS n FROM attachments'))[0].n;

  describe('on upload', () => {
    it('reads EXIF capture time with its offset and the GPS position, and keeps them as EXIF', async () => {
      const data = await photo({ wall: '2026:11:30 10:32:05', offset: '+05:00', ...north(0) });
      const res = await upload(w.unitA.token, data).expect(201);
      const db = await row(res.body.id);
      // 10:32:05 at UTC+5 is 05:32:05 UTC.
      expect((db.exif_captured_at as Date).toISOString()).toBe('2026-11-30T05:32:05.000Z');
      expect(db.exif_lat as number).toBeCloseTo(TASK_AT.lat, 5);
      expect(db.exif_lng as number).toBeCloseTo(TASK_AT.lng, 5);
      expect([db.declared_captured_at, db.declared_lat, db.declared_lng]).toEqual([
        null,
        null,
        null,
      ]);
      const meta = await as(t, w.unitA.token).get(`/attachments/${res.body.id}/meta`).expect(200);
      expect(meta.body.capture).toEqual({
        exif: {
          capturedAt: '2026-11-30T05:32:05.000Z',
          lat: expect.closeTo(TASK_AT.lat, 5),
          lng: expect.closeTo(TASK_AT.lng, 5),
        },
        declared: { capturedAt: null, lat: null, lng: null, accuracyM: null },
      });
    });

    it('an EXIF time without an offset is read as Beijing time', async () => {
      const res = await upload(w.unitA.token, await photo({ wall: '2026:11:30 10:32:05' })).expect(
        201,
      );
      const db = await row(res.body.id);
      expect((db.exif_captured_at as Date).toISOString()).toBe('2026-11-30T02:32:05.000Z');
      expect([db.exif_lat, db.exif_lng]).toEqual([null, null]);
    });

    it('keeps what the client declares apart from what the photo carries, fields before or after the file', async () => {
      const data = await photo({ wall: '2026:11:30 10:00:00' });
      const res = await t
        .http()
        .post('/api/v1/attachments')
        .set('authorization', `Bearer ${w.unitA.token}`)
        .field('capturedAt', '2026-11-30T11:00:00+08:00')
        .field('lat', '39.9')
        .attach('file', data, { filename: 'a.jpg', contentType: 'image/jpeg' })
        .field('lng', '116.1')
        .field('accuracyM', '12.5')
        .expect(201);
      const db = await row(res.body.id);
      expect((db.exif_captured_at as Date).toISOString()).toBe('2026-11-30T02:00:00.000Z');
      expect((db.declared_captured_at as Date).toISOString()).toBe('2026-11-30T03:00:00.000Z');
      expect([db.declared_lat, db.declared_lng, db.declared_accuracy_m]).toEqual([
        39.9, 116.1, 12.5,
      ]);
      expect(res.body.capture.declared).toEqual({
        capturedAt: '2026-11-30T03:00:00.000Z',
        lat: 39.9,
        lng: 116.1,
        accuracyM: 12.5,
      });
      expect(res.body.capture.exif.capturedAt).toBe('2026-11-30T02:00:00.000Z');
    });

    it('a photo that carries nothing (a PNG) and declares nothing stores nulls', async () => {
      const res = await upload(w.unitA.token, PNG_1X1).expect(201);
      const db = await row(res.body.id);
      expect(
        [
          'exif_captured_at',
          'exif_lat',
          'exif_lng',
          'declared_captured_at',
          'declared_lat',
          'declared_lng',
          'declared_accuracy_m',
        ].map((c) => db[c]),
      ).toEqual([null, null, null, null, null, null, null]);
    });

    it.each([
      ['capturedAt', { capturedAt: 'yesterday' }],
      ['capturedAt', { capturedAt: '2026-11-30' }],
      ['capturedAt', { capturedAt: '2026-02-30T10:00:00+08:00' }],
      ['capturedAt', { capturedAt: new Date(Date.now() + 2 * 86_400_000).toISOString() }],
      ['lat', { lat: '91', lng: '116' }],
      ['lat', { lat: 'abc', lng: '116' }],
      ['lat', { lat: '1e1', lng: '116' }],
      ['lng', { lat: '39.9', lng: '-180.5' }],
      ['lng', { lat: '39.9' }],
      ['lat', { lng: '116.1' }],
      ['accuracyM', { lat: '39.9', lng: '116.1', accuracyM: '-1' }],
      ['accuracyM', { accuracyM: '10' }],
      ['note', { note: '整改后' }],
    ])('a bad %s → 400 naming it, nothing stored (%j)', async (field, fields) => {
      const before = await attachmentCount();
      const res = await upload(w.unitA.token, PNG_1X1, fields).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors[0].field).toBe(field);
      expect(await attachmentCount()).toBe(before);
    });
  });

  describe('derived copies', () => {
    let original: Buffer;
    let id: string;

    beforeAll(async () => {
      original = await photo({ taken: new Date('2026-11-30T02:00:00Z'), ...north(0) });
      id = (await upload(w.unitA.token, original).expect(201)).body.id;
    });

    it('a thumbnail: JPEG, longest side 320 px, under 30 KB and smaller than the original, its own ETag', async () => {
      const res = await download(w.unitA.token, id, 'thumb').expect(200);
      const thumb = res.body as Buffer;
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(thumb.length).toBeLessThan(30 * 1024);
      expect(thumb.length).toBeLessThan(original.length);
      const meta = await sharp(thumb).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 320, 240]);
      // No GPS leaks into lists: the copy carries no EXIF.
      expect(meta.exif).toBeUndefined();
      expect(res.headers.etag).not.toBe(`"${sha256(original)}"`);
      expect(res.headers['cache-control']).toBe('private, max-age=86400');
      await download(w.unitA.token, id, 'thumb').set('if-none-match', res.headers.etag).expect(304);
    });

    it('a 水印 copy differs from the original; the original is served and stored unchanged', async () => {
      const res = await download(w.unitA.token, id, 'watermarked').expect(200);
      const marked = res.body as Buffer;
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(res.headers['cache-control']).toBe('private, max-age=3600');
      expect(sha256(marked)).not.toBe(sha256(original));
      const meta = await sharp(marked).metadata();
      expect([meta.width, meta.height]).toEqual([1600, 1200]);
      // The band along the bottom is darker than the same rows of the original.
      const band = { left: 0, top: 1170, width: 1600, height: 20 };
      // stats() reads its input, not the pipeline: cut the band out first.
      const mean = async (b: Buffer) =>
        (await sharp(await sharp(b).extract(band).png().toBuffer()).stats()).channels[0].mean;
      expect(await mean(marked)).toBeLessThan((await mean(original)) - 20);

      const orig = await download(w.unitA.token, id).expect(200);
      expect(sha256(orig.body as Buffer)).toBe(sha256(original));
      expect(orig.headers.etag).toBe(`"${sha256(original)}"`);
      expect(res.headers.etag).not.toBe(orig.headers.etag);
      expect((await row(id)).sha256).toBe(sha256(original));
      // The copies are kept in storage apart from the original, which was not rewritten.
      const root = t.config.storage.root;
      const files = (await readdir(root, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name).slice(root.length + 1));
      expect(files.filter((f) => f.startsWith('derived/'))).toHaveLength(2);
    });

    it('the 水印 says when, where and who: the task’s 点位 once the photo is on a task', async () => {
      const variants = t.app.get(PhotoVariantsService);
      const entity = await t.ds.getRepository(Attachment).findOneByOrFail({ id });
      // Taken 2026-11-30 10:00 Beijing; not on a task yet: the position it carries.
      expect(await variants.watermarkText(entity)).toMatch(
        /^2026-11-30 10:00 · 39\.9375\d, 116\.0958\d · unit \d+$/,
      );
      const before = (await download(w.unitA.token, id, 'watermarked').expect(200)).headers.etag;
      // An inspector cites the photo as a task's 整改前 photo.
      const task = await as(t, w.inspector.token)
        .post('/tasks', {
          categoryId: w.categoryId,
          siteId: w.siteA,
          description: '楼道堆放杂物',
          beforePhotoIds: [id],
        })
        .expect(201);
      expect(await variants.watermarkText(entity)).toMatch(
        /^2026-11-30 10:00 · 西山社区 · unit \d+$/,
      );
      // A new text is a new copy with a new ETag: the old one no longer matches.
      const after = await download(w.unitA.token, id, 'watermarked')
        .set('if-none-match', before)
        .expect(200);
      expect(after.headers.etag).not.toBe(before);
      // The create event names the original's bytes.
      const [created] = await t.ds.query(
        `SELECT data FROM task_events WHERE task_id = $1 AND action = 'create'`,
        [task.body.id],
      );
      expect(created.data.photoSha256).toEqual([{ id, sha256: sha256(original) }]);
    });

    it('another unit gets 404 on every variant, as on the original; a bad variant is a 400', async () => {
      for (const variant of [undefined, 'thumb', 'watermarked']) {
        const res = await download(w.unitB.token, id, variant).expect(404);
        expect(JSON.parse((res.body as Buffer).toString('utf8')).code).toBe('ATTACHMENT_NOT_FOUND');
      }
      const bad = await download(w.unitA.token, id, 'huge').expect(400);
      expect(JSON.parse((bad.body as Buffer).toString('utf8')).errors[0].field).toBe('variant');
    });
  });

  describe('照片存疑 on a unit’s submission', () => {
    let flaggedTask: { id: string; version: number };
    let cleanTask: { id: string; version: number };
    const photos = { onSite: '', old: '', bare: '', clean: '' };
    let oldBytes: Buffer;

    const createTask = async (description: string) =>
      (
        await as(t, w.inspector.token)
          .post('/tasks', {
            categoryId: w.categoryId,
            siteId: w.siteA,
            description,
            ...TASK_AT,
          })
          .expect(201)
      ).body as { id: string; version: number; status: string };

    beforeAll(async () => {
      const a = await createTask('一号楼楼道堆物');
      const b = await createTask('二号楼楼道堆物');
      expect([a.status, b.status]).toEqual(['assigned', 'assigned']);
      // Taken after the assignment, on site, as the phone app declares it.
      const now = new Date().toISOString();
      const near = north(50);
      photos.onSite = (
        await upload(w.unitA.token, PNG_1X1, {
          capturedAt: now,
          lat: String(near.lat),
          lng: String(near.lng),
          accuracyM: '8',
        }).expect(201)
      ).body.id;
      // An old photo from 5 km away, whatever the client now claims about it.
      oldBytes = await photo(
        { wall: '2026:01:15 09:00:00', ...north(5000) },
        { width: 64, height: 48 },
      );
      photos.old = (
        await upload(w.unitA.token, oldBytes, {
          capturedAt: now,
          lat: String(near.lat),
          lng: String(near.lng),
        }).expect(201)
      ).body.id;
      photos.bare = (await upload(w.unitA.token, PNG_1X1).expect(201)).body.id;
      photos.clean = (
        await upload(w.unitA.token, PNG_1X1, { capturedAt: new Date().toISOString() }).expect(201)
      ).body.id;

      const submitted = await as(t, w.unitA.token)
        .post(`/tasks/${a.id}/submissions`, {
          version: a.version,
          description: '已清理',
          afterPhotoIds: [photos.onSite, photos.old, photos.bare],
        })
        .expect(200);
      flaggedTask = submitted.body;
      const clean = await as(t, w.unitA.token)
        .post(`/tasks/${b.id}/submissions`, {
          version: b.version,
          description: '已清理',
          afterPhotoIds: [photos.clean],
        })
        .expect(200);
      cleanTask = clean.body;
    });

    it('flags never block: both submissions went through', () => {
      expect((flaggedTask as unknown as { status: string }).status).toBe('submitted');
      expect((cleanTask as unknown as { status: string }).status).toBe('submitted');
    });

    it('the submission keeps each doubt with its reason and source (EXIF preferred over what was declared)', async () => {
      const [sub] = await t.ds.query(
        'SELECT evidence_flags FROM task_submissions WHERE task_id = $1',
        [flaggedTask.id],
      );
      expect(
        (
          sub.evidence_flags as { attachmentId: string; reason: string; source: string | null }[]
        ).map((f) => [f.attachmentId, f.reason, f.source]),
      ).toEqual([
        [photos.old, 'taken_before_assignment', 'exif'],
        [photos.old, 'too_far', 'exif'],
        [photos.bare, 'no_capture_data', null],
      ]);
      const [clean] = await t.ds.query(
        'SELECT evidence_flags FROM task_submissions WHERE task_id = $1',
        [cleanTask.id],
      );
      expect(clean.evidence_flags).toEqual([]);
    });

    it('the task detail shows the flags and every photo with its capture facts', async () => {
      const detail = (await as(t, w.admin.token).get(`/tasks/${flaggedTask.id}`).expect(200)).body;
      expect(detail.evidenceFlags).toHaveLength(3);
      expect(detail.evidenceFlags[0]).toMatchObject({
        attachmentId: photos.old,
        reason: 'taken_before_assignment',
        source: 'exif',
        detail: expect.stringMatching(/^拍摄时间 2026-01-15 09:00（照片EXIF）早于派遣时间 /),
      });
      expect(detail.evidenceFlags[1]).toMatchObject({ reason: 'too_far', maxDistanceM: 300 });
      expect(detail.evidenceFlags[1].distanceM).toBeGreaterThan(4900);
      const old = detail.photos.find((p: { id: string }) => p.id === photos.old);
      expect(old).toMatchObject({
        role: 'after',
        sha256: sha256(oldBytes),
        capture: {
          exif: { capturedAt: '2026-01-15T01:00:00.000Z' },
          declared: { lat: expect.closeTo(north(50).lat, 6) },
        },
      });
      const cleanDetail = (await as(t, w.unitA.token).get(`/tasks/${cleanTask.id}`).expect(200))
        .body;
      expect(cleanDetail.evidenceFlags).toEqual([]);
    });

    it('the timeline: the submitted event carries the flags and the originals’ SHA-256', async () => {
      const events = (await as(t, w.unitA.token).get(`/tasks/${flaggedTask.id}/events`).expect(200))
        .body.items as { action: string; data: Record<string, unknown> }[];
      const submit = events.find((e) => e.action === 'submit')!;
      expect((submit.data.evidenceFlags as unknown[]).length).toBe(3);
      expect(submit.data.photoSha256).toEqual([
        { id: photos.onSite, sha256: sha256(PNG_1X1) },
        { id: photos.old, sha256: sha256(oldBytes) },
        { id: photos.bare, sha256: sha256(PNG_1X1) },
      ]);
      // As written in the append-only trail, not only as answered.
      const [stored] = await t.ds.query(
        `SELECT data FROM task_events WHERE task_id = $1 AND action = 'submit'`,
        [flaggedTask.id],
      );
      expect(stored.data.photoSha256[1]).toEqual({ id: photos.old, sha256: sha256(oldBytes) });
    });

    describe('once both are closed', () => {
      beforeAll(async () => {
        for (const task of [flaggedTask, cleanTask]) {
          await as(t, w.inspector.token)
            .post(`/tasks/${task.id}/checks`, { version: task.version, result: 'pass' })
            .expect(200);
        }
      });

      it('the detail of a closed task still shows the accepted submission’s flags', async () => {
        const detail = (await as(t, w.admin.token).get(`/tasks/${flaggedTask.id}`).expect(200))
          .body;
        expect(detail.status).toBe('closed');
        expect(detail.evidenceFlags.map((f: { reason: string }) => f.reason)).toEqual([
          'taken_before_assignment',
          'too_far',
          'no_capture_data',
        ]);
      });

      it('the 台账 has a 照片存疑 column with the reasons', async () => {
        const res = await as(t, w.admin.token).get('/tasks/export?format=csv').expect(200);
        const [header, ...rows] = parseCsv(res.text);
        const col = header.indexOf('照片存疑');
        const byDescription = new Map(rows.map((r) => [r[header.indexOf('问题描述')], r]));
        expect(col).toBeGreaterThan(0);
        expect(byDescription.get('一号楼楼道堆物')![col]).toBe(
          '拍摄早于派遣、拍摄地点过远、无拍摄信息',
        );
        expect(byDescription.get('二号楼楼道堆物')![col]).toBe('');
      });

      it('the digest counts flagged closures per unit', async () => {
        const today = officeDay(new Date());
        const digest = (
          await as(t, w.admin.token).get(`/reports/digest?from=${today}&to=${today}`).expect(200)
        ).body as {
          units: { unitId: string; figures: { closed: number; closedFlagged: number } }[];
          totals: { closedFlagged: number };
        };
        const unitA = digest.units.find((u) => u.unitId === w.unitA.unitId)!;
        expect(unitA.figures).toMatchObject({ closed: 2, closedFlagged: 1 });
        const unitB = digest.units.find((u) => u.unitId === w.unitB.unitId);
        expect(unitB?.figures.closedFlagged ?? 0).toBe(0);
        expect(digest.totals.closedFlagged).toBe(1);
      });

      it('a week stored before photos were judged reads as none flagged', async () => {
        await as(t, w.admin.token).post('/reports/digests/2026-11-09').expect(201);
        const [{ data }] = await t.ds.query(
          `SELECT data FROM weekly_digests WHERE week_start = '2026-11-09'`,
        );
        const strip = (f: Record<string, unknown>) => delete f.closedFlagged;
        strip(data.totals);
        for (const row of [...data.units, ...data.categories]) strip(row.figures);
        await t.ds.query(
          `UPDATE weekly_digests SET data = $1::jsonb WHERE week_start = '2026-11-09'`,
          [JSON.stringify(data)],
        );
        const stored = (await as(t, w.admin.token).get('/reports/digests/2026-11-09').expect(200))
          .body;
        expect(stored.totals.closedFlagged).toBe(0);
        for (const row of [...stored.units, ...stored.categories]) {
          expect(row.figures.closedFlagged).toBe(0);
        }
      });
    });
  });
});
