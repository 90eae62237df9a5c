import { jest } from '@jest/globals';
import { readCategoryCatalog } from '../src/catalog/category-seed.js';
import { Clock } from '../src/common/clock.js';
import { shanghaiDate } from '../src/reports/shanghai-time.js';
import { as, buildLoopWorld, uploadPhoto, type LoopWorld } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * What the inspector's phone needs of the server (issue 13): found-at times, 常用语 and the
 * duplicate radius per category, open tasks nearby, observations on an open task, tasks awaiting
 * a check nearest first. Each asserted on the answer and on what the database holds.
 */
describe('field API for the phone', () => {
  let t: TestApp;
  let w: LoopWorld;
  /** Milliseconds the server's clock is moved by (0: real time). */
  let shift = 0;
  const DAY = 86_400_000;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    const realNow = Date.now.bind(Date);
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(realNow() + shift));
  });
  afterEach(() => {
    shift = 0;
  });
  afterAll(() => t.close());

  const admin = () => as(t, w.admin.token);
  const inspector = () => as(t, w.inspector.token);
  const unitA = () => as(t, w.unitA.token);
  const unitB = () => as(t, w.unitB.token);

  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    ((await t.ds.query(sql, params)) as { n: number }[])[0].n;
  const taskCount = () => count('SELECT count(*)::int AS n FROM tasks');

  // A point in 门头沟 and offsets north of it: 0.0001° of latitude is 11.1 m.
  const P = { lat: 39.94, lng: 116.1 };
  const north = (m: number) => ({ lat: P.lat + m / 111_195, lng: P.lng });

  async function newTask(body: Record<string, unknown> = {}, who = inspector()) {
    const res = await who.post('/tasks', {
      categoryId: w.categoryId,
      siteId: w.siteA,
      description: '楼道堆放纸箱',
      ...body,
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number; status: string; foundAt: string };
  }

  describe('foundAt: when the problem was found', () => {
    it('is stored as sent, distinct from the receive time, and shown in the list', async () => {
      const foundAt = new Date(Date.now() - 2 * 3_600_000);
      const task = await newTask({ foundAt: foundAt.toISOString() });
      expect(task.foundAt).toBe(foundAt.toISOString());
      const [row] = await t.ds.query('SELECT found_at, created_at FROM tasks WHERE id = $1', [
        task.id,
      ]);
      expect((row.found_at as Date).toISOString()).toBe(foundAt.toISOString());
      expect((row.created_at as Date).getTime()).toBeGreaterThan(foundAt.getTime() + 3_500_000);
      const list = await inspector().get('/tasks?limit=200').expect(200);
      const item = (list.body.items as { id: string; foundAt: string }[]).find(
        (i) => i.id === task.id,
      );
      expect(item?.foundAt).toBe(foundAt.toISOString());
    });

    it('accepts Beijing time without an offset and a clock up to 5 minutes ahead', async () => {
      const ahead = new Date(Date.now() + 4 * 60_000);
      const task = await newTask({ foundAt: ahead.toISOString() });
      expect(task.foundAt).toBe(ahead.toISOString());
      const local = await newTask({ foundAt: `${shanghaiDate(new Date())}T00:00:00` });
      expect(new Date(local.foundAt).getTime()).toBe(
        Date.parse(`${shanghaiDate(new Date())}T00:00:00+08:00`),
      );
    });

    it('defaults to the receive time', async () => {
      const task = await newTask();
      const [row] = await t.ds.query(
        'SELECT found_at = created_at AS same FROM tasks WHERE id = $1',
        [task.id],
      );
      expect(row.same).toBe(true);
    });

    it.each([
      ['10 minutes ahead', 10 * 60_000, 'tooFarInFuture'],
      ['31 days ago', -31 * DAY, 'tooOld'],
    ])('%s is a 400 naming foundAt, nothing written', async (_case, offset, code) => {
      const before = await taskCount();
      const res = await inspector().post('/tasks', {
        categoryId: w.categoryId,
        siteId: w.siteA,
        description: '楼道堆放纸箱',
        foundAt: new Date(Date.now() + offset).toISOString(),
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'foundAt', code })]);
      expect(await taskCount()).toBe(before);
    });

    it('a malformed foundAt is a 400 naming it', async () => {
      const res = await inspector().post('/tasks', {
        categoryId: w.categoryId,
        siteId: w.siteA,
        description: '楼道堆放纸箱',
        foundAt: '20261118',
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ field: 'foundAt', code: 'isInstant' });
    });

    it('on inspection problems: stored per task; a bad one names tasks.N.foundAt and writes nothing', async () => {
      const today = shanghaiDate(new Date());
      const body = (foundAt: string[]) => ({
        kind: 'inspection',
        activity: '楼院环境督导检查',
        leadPersons: ['王建华'],
        heldOn: today,
        location: '东辛房',
        tasks: foundAt.map((f, i) => ({
          categoryId: w.categoryId,
          siteId: w.siteA,
          description: `问题${i + 1}`,
          foundAt: f,
        })),
      });
      const found = new Date(Date.now() - 30 * 60_000).toISOString();
      const before = await count('SELECT count(*)::int AS n FROM inspections');
      const tasksBefore = await taskCount();
      const bad = await inspector().post(
        '/inspections',
        body([found, new Date(Date.now() + DAY).toISOString()]),
      );
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0]).toMatchObject({
        field: 'tasks.1.foundAt',
        code: 'tooFarInFuture',
      });
      expect(await count('SELECT count(*)::int AS n FROM inspections')).toBe(before);
      expect(await taskCount()).toBe(tasksBefore);

      const ok = await inspector()
        .post('/inspections', body([found]))
        .expect(201);
      const rows = await t.ds.query('SELECT found_at FROM tasks WHERE inspection_id = $1', [
        ok.body.id,
      ]);
      expect(rows.map((r: { found_at: Date }) => r.found_at.toISOString())).toEqual([found]);
    });

    it('the 台账 shows it as 发现时间', async () => {
      // 2 hours ago, on a task without an inspection: the found-at time, Beijing, to the minute.
      const foundAt = new Date(Date.now() - 2 * 3_600_000);
      foundAt.setUTCSeconds(0, 0);
      const task = await newTask({ foundAt: foundAt.toISOString(), description: '台账发现时间' });
      const res = await admin().get('/tasks/export?format=csv').expect(200);
      const lines = res.text.replace(/^\uFEFF/, '').split(/\r?\n/);
      const header = lines[0].split(',');
      const line = lines.find((l) => l.includes('台账发现时间'))!;
      const beijing = new Date(foundAt.getTime() + 8 * 3_600_000).toISOString();
      expect(line.split(',')[header.indexOf('发现时间')]).toBe(
        `${beijing.slice(0, 10)} ${beijing.slice(11, 16)}`,
      );
      expect(task.id).toBeTruthy();
    });
  });

  describe('常用语 and the duplicate radius per category', () => {
    it('GET /categories carries them, with defaults', async () => {
      const res = await inspector().get('/categories?q=HJ07').expect(200);
      expect(res.body.items[0]).toMatchObject({ quickPhrases: [], duplicateRadiusM: 50 });
    });

    it('the office edits them; the text is normalised', async () => {
      const res = await admin().patch(`/categories/${w.selfCloseCategoryId}`, {
        quickPhrases: ['  墙面张贴小广告\u200B', '电线杆上粘贴小广告'],
        duplicateRadiusM: 80,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        quickPhrases: ['墙面张贴小广告', '电线杆上粘贴小广告'],
        duplicateRadiusM: 80,
      });
      const [row] = await t.ds.query(
        'SELECT quick_phrases, duplicate_radius_m FROM categories WHERE id = $1',
        [w.selfCloseCategoryId],
      );
      expect(row).toEqual({
        quick_phrases: ['墙面张贴小广告', '电线杆上粘贴小广告'],
        duplicate_radius_m: 80,
      });
    });

    it.each([
      ['a phrase over 60 characters', { quickPhrases: ['长'.repeat(61)] }, 'quickPhrases'],
      ['a blank phrase', { quickPhrases: ['好', ' \u3000 '] }, 'quickPhrases'],
      [
        '21 phrases',
        { quickPhrases: [...Array(21).keys()].map((i) => `短语${i}`) },
        'quickPhrases',
      ],
      ['the same phrase twice', { quickPhrases: ['同一句', '同一句'] }, 'quickPhrases'],
      ['not an array', { quickPhrases: '楼道堆物' }, 'quickPhrases'],
      ['a radius under 5 m', { duplicateRadiusM: 4 }, 'duplicateRadiusM'],
      ['a radius over 1000 m', { duplicateRadiusM: 1001 }, 'duplicateRadiusM'],
      ['a fractional radius', { duplicateRadiusM: 50.5 }, 'duplicateRadiusM'],
    ])('%s is a 400 naming the field, nothing changed', async (_case, body, field) => {
      const before = await t.ds.query(
        'SELECT quick_phrases, duplicate_radius_m FROM categories WHERE id = $1',
        [w.categoryId],
      );
      const res = await admin().patch(`/categories/${w.categoryId}`, body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(
        await t.ds.query('SELECT quick_phrases, duplicate_radius_m FROM categories WHERE id = $1', [
          w.categoryId,
        ]),
      ).toEqual(before);
    });

    it('only the office edits them', async () => {
      await inspector()
        .patch(`/categories/${w.categoryId}`, { quickPhrases: ['楼道堆物'] })
        .expect(403);
    });

    it('the seeded catalog has phrases for every category, valid as the API takes them', () => {
      const catalog = readCategoryCatalog('config');
      for (const c of catalog) expect(c.quickPhrases?.length).toBeGreaterThan(0);
      expect(catalog.find((c) => c.name === '楼道堆物')?.quickPhrases).toContain(
        '楼道内堆放杂物，影响通行',
      );
    });
  });

  describe('GET /tasks/nearby: open tasks of the category near a point', () => {
    const ids: Record<string, string> = {};
    let photo: string;

    beforeAll(async () => {
      // Its own category, so the tasks of the other tests are not near.
      const [cat] = await t.ds.query(
        `INSERT INTO categories (code, name, group_name, measure_word, deadline_rule)
         VALUES ('ZX01', '机动车乱停放', '街面秩序', '处', '{"kind":"work_days","days":1}') RETURNING id`,
      );
      ids.category = cat.id;
      photo = await uploadPhoto(t, w.inspector.token);
      const at = (m: number) => north(m);
      ids.m11 = (await newTask({ categoryId: cat.id, ...at(11), beforePhotoIds: [photo] })).id;
      ids.m33 = (await newTask({ categoryId: cat.id, ...at(33) })).id;
      ids.m56 = (await newTask({ categoryId: cat.id, ...at(56) })).id;
      ids.otherCategory = (await newTask({ ...at(5) })).id;
      ids.unitB = (
        await newTask({ categoryId: cat.id, ...at(22), unitId: w.unitB.unitId }, admin())
      ).id;
      const cancelled = await newTask({ categoryId: cat.id, ...at(2) });
      ids.cancelled = cancelled.id;
      await admin()
        .post(`/tasks/${cancelled.id}/cancellation`, { version: cancelled.version, reason: '误报' })
        .expect(200);
      // Found and entered 40 days ago: too old to be the same problem.
      shift = -40 * DAY;
      ids.old = (await newTask({ categoryId: cat.id, ...at(3) })).id;
      shift = 0;
      // Entered now, found 29 days ago: within the window.
      ids.found29 = (
        await newTask({
          categoryId: cat.id,
          ...at(44),
          foundAt: new Date(Date.now() - 29 * DAY).toISOString(),
        })
      ).id;
    });

    const query = (extra = '') =>
      `/tasks/nearby?categoryId=${ids.category}&lat=${P.lat}&lng=${P.lng}${extra}`;

    it('within the radius, same category, open, 30 days, nearest first, with distance and photo', async () => {
      const res = await inspector().get(query()).expect(200);
      expect(res.body.radiusM).toBe(50);
      const items = res.body.items as {
        id: string;
        distanceM: number;
        firstBeforePhotoId: string | null;
        status: string;
        number: string;
        foundAt: string;
      }[];
      expect(items.map((i) => i.id)).toEqual([ids.m11, ids.unitB, ids.m33, ids.found29]);
      expect(items[0].distanceM).toBeCloseTo(11, 0);
      expect(items[2].distanceM).toBeCloseTo(33, 0);
      expect(items[0].firstBeforePhotoId).toBe(photo);
      expect(items[1].firstBeforePhotoId).toBeNull();
      expect(items[0]).toMatchObject({ status: 'assigned', number: expect.stringMatching(/^ZG-/) });
    });

    it('by category code too; the category’s radius decides', async () => {
      await admin().patch(`/categories/${ids.category}`, { duplicateRadiusM: 60 }).expect(200);
      try {
        const res = await inspector()
          .get(`/tasks/nearby?categoryId=ZX01&lat=${P.lat}&lng=${P.lng}`)
          .expect(200);
        expect(res.body.radiusM).toBe(60);
        expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([
          ids.m11,
          ids.unitB,
          ids.m33,
          ids.found29,
          ids.m56,
        ]);
      } finally {
        await admin().patch(`/categories/${ids.category}`, { duplicateRadiusM: 50 }).expect(200);
      }
    });

    it('scoped like the task list: a unit sees only its own', async () => {
      const a = await unitA().get(query()).expect(200);
      expect(a.body.items.map((i: { id: string }) => i.id)).toEqual([
        ids.m11,
        ids.m33,
        ids.found29,
      ]);
      const b = await unitB().get(query()).expect(200);
      expect(b.body.items.map((i: { id: string }) => i.id)).toEqual([ids.unitB]);
    });

    it('limit', async () => {
      const res = await inspector().get(query('&limit=2')).expect(200);
      expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([ids.m11, ids.unitB]);
    });

    it('at most 20 without a limit', async () => {
      // A category of its own with 21 open tasks within its radius.
      const [cat] = await t.ds.query(
        `INSERT INTO categories (code, name, group_name, measure_word, deadline_rule)
         VALUES ('ZX02', '非机动车乱停放', '街面秩序', '处', '{"kind":"work_days","days":1}') RETURNING id`,
      );
      const made: string[] = [];
      for (let i = 0; i < 21; i += 1) {
        made.push((await newTask({ categoryId: cat.id, ...north(i) })).id);
      }
      const res = await inspector()
        .get(`/tasks/nearby?categoryId=${cat.id}&lat=${P.lat}&lng=${P.lng}`)
        .expect(200);
      expect(res.body.items.map((i: { id: string }) => i.id)).toEqual(made.slice(0, 20));
    });

    it.each([
      ['lat out of range', `/tasks/nearby?categoryId=HJ07&lat=91&lng=116.1`, 'lat'],
      ['lat not a number', `/tasks/nearby?categoryId=HJ07&lat=abc&lng=116.1`, 'lat'],
      ['lng missing', `/tasks/nearby?categoryId=HJ07&lat=39.9`, 'lng'],
      ['category missing', `/tasks/nearby?lat=39.9&lng=116.1`, 'categoryId'],
      ['unknown category', `/tasks/nearby?categoryId=NOPE99&lat=39.9&lng=116.1`, 'categoryId'],
      ['limit over 100', `/tasks/nearby?categoryId=HJ07&lat=39.9&lng=116.1&limit=101`, 'limit'],
    ])('%s is a 400 naming the field', async (_case, path, field) => {
      const res = await inspector().get(path);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('POST /tasks/:id/observations', () => {
    let task: { id: string; version: number };

    beforeAll(async () => {
      task = await newTask({ description: '补充记录用任务' });
    });

    const events = (id: string) =>
      t.ds.query(
        `SELECT action, from_status, to_status, note, data, attachment_ids, actor_id
           FROM task_events WHERE task_id = $1 AND action = 'observe' ORDER BY id`,
        [id],
      ) as Promise<Record<string, unknown>[]>;
    const versionOf = async (id: string) =>
      (
        (await t.ds.query('SELECT version, updated_at FROM tasks WHERE id = $1', [id])) as {
          version: number;
          updated_at: Date;
        }[]
      )[0];

    it('records an event, links the photos as before-photos, leaves the version alone', async () => {
      const photo = await uploadPhoto(t, w.inspector.token);
      const before = await versionOf(task.id);
      const observedAt = new Date(Date.now() - 10 * 60_000).toISOString();
      const res = await inspector().post(`/tasks/${task.id}/observations`, {
        note: '  问题仍然存在，纸箱增多 ',
        photoIds: [photo],
        lat: 39.9401,
        lng: 116.1002,
        observedAt,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        action: 'observe',
        fromStatus: 'assigned',
        toStatus: 'assigned',
        note: '问题仍然存在，纸箱增多',
        attachmentIds: [photo],
        actorId: w.inspector.id,
        data: { observedAt, position: { lat: 39.9401, lng: 116.1002 }, photoIds: [photo] },
      });
      const sha256Of = await t.ds.query('SELECT sha256 FROM attachments WHERE id = $1', [photo]);
      expect(sha256Of[0].sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(await events(task.id)).toEqual([
        {
          action: 'observe',
          from_status: 'assigned',
          to_status: 'assigned',
          note: '问题仍然存在，纸箱增多',
          data: {
            unitId: w.unitA.unitId,
            observedAt,
            position: { lat: 39.9401, lng: 116.1002 },
            photoIds: [photo],
            // The original's SHA-256 in the audit trail, as for every event that links photos.
            photoSha256: [{ id: photo, sha256: sha256Of[0].sha256 }],
          },
          attachment_ids: [photo],
          actor_id: w.inspector.id,
        },
      ]);
      const links = await t.ds.query(
        `SELECT ta.role, e.action FROM task_attachments ta JOIN task_events e ON e.id = ta.event_id
          WHERE ta.task_id = $1 AND ta.attachment_id = $2`,
        [task.id, photo],
      );
      expect(links).toEqual([{ role: 'before', action: 'observe' }]);
      expect(await versionOf(task.id)).toEqual(before);
      // The outbox hears of it like of any event (nobody is notified: see notification-routing).
      expect(
        await count(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'eventId' = $1`, [
          res.body.id,
        ]),
      ).toBe(1);

      const detail = await unitA().get(`/tasks/${task.id}`).expect(200);
      expect(detail.body.beforePhotoIds).toContain(photo);
      expect(detail.body.version).toBe(task.version);
      const trail = await unitA().get(`/tasks/${task.id}/events`).expect(200);
      expect(trail.body.items.at(-1)).toMatchObject({ id: res.body.id, action: 'observe' });
    });

    it('the office may add one; a note alone is enough; observedAt defaults to now', async () => {
      const t0 = Date.now();
      const res = await admin().post(`/tasks/${task.id}/observations`, { note: '已电话督促' });
      expect(res.status).toBe(201);
      expect(res.body.attachmentIds).toEqual([]);
      expect(res.body.data.position).toBeNull();
      expect(Date.parse(res.body.data.observedAt)).toBeGreaterThanOrEqual(t0 - 1000);
    });

    it('an idempotent retry records one event and answers the first', async () => {
      const key = `obs-${Date.now()}`;
      const n0 = (await events(task.id)).length;
      const send = (body: object) =>
        t
          .http()
          .post(`/api/v1/tasks/${task.id}/observations`)
          .set('authorization', `Bearer ${w.inspector.token}`)
          .set('idempotency-key', key)
          .send(body);
      const first = await send({ note: '重试的记录' });
      const again = await send({ note: '重试的记录' });
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.body).toEqual(first.body);
      expect((await events(task.id)).length).toBe(n0 + 1);
      const other = await send({ note: '另一条记录' });
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect((await events(task.id)).length).toBe(n0 + 1);
    });

    it('the same Idempotency-Key from another user is that user’s own', async () => {
      const key = `obs-shared-${Date.now()}`;
      const n0 = (await events(task.id)).length;
      const send = (token: string) =>
        t
          .http()
          .post(`/api/v1/tasks/${task.id}/observations`)
          .set('authorization', `Bearer ${token}`)
          .set('idempotency-key', key)
          .send({ note: '同一个键' });
      const first = await send(w.inspector.token);
      const theirs = await send(w.admin.token);
      expect([first.status, theirs.status]).toEqual([201, 201]);
      expect(theirs.body.id).not.toBe(first.body.id);
      expect([first.body.actorId, theirs.body.actorId]).toEqual([w.inspector.id, w.admin.id]);
      expect((await events(task.id)).length).toBe(n0 + 2);
    });

    it('a photo alone is enough: no note', async () => {
      const photo = await uploadPhoto(t, w.inspector.token);
      const res = await inspector().post(`/tasks/${task.id}/observations`, { photoIds: [photo] });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ note: null, attachmentIds: [photo] });
      const [stored] = await t.ds.query(`SELECT note FROM task_events WHERE id = $1`, [
        res.body.id,
      ]);
      expect(stored.note).toBeNull();
    });

    it.each([
      [
        'neither a note nor a photo',
        {},
        { field: 'note', code: 'noteOrPhoto', message: '请填写说明或上传照片' },
      ],
      [
        'lat without lng',
        { note: '记录', lat: 39.9 },
        { field: 'lng', code: 'latLngPair', message: '位置须同时给出纬度和经度' },
      ],
      [
        'lng without lat',
        { note: '记录', lng: 116.1 },
        { field: 'lat', code: 'latLngPair', message: '位置须同时给出纬度和经度' },
      ],
    ])('%s: the problem says which rule', async (_case, body, problem) => {
      const n0 = (await events(task.id)).length;
      const res = await inspector().post(`/tasks/${task.id}/observations`, body);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([problem]);
      expect((await events(task.id)).length).toBe(n0);
    });

    it.each([
      ['neither a note nor a photo', {}, 'note'],
      ['a blank note and no photo', { note: ' \u3000 ', photoIds: [] }, 'note'],
      ['lat without lng', { note: '记录', lat: 39.9 }, 'lng'],
      ['lat out of range', { note: '记录', lat: 91, lng: 116 }, 'lat'],
      [
        'observedAt in the future',
        { note: '记录', observedAt: '2099-01-01T00:00:00Z' },
        'observedAt',
      ],
      ['a malformed photo id', { photoIds: ['nope'] }, 'photoIds'],
      ['an unknown field', { note: '记录', status: 'closed' }, 'status'],
    ])('%s is a 400 naming the field, nothing written', async (_case, body, field) => {
      const n0 = (await events(task.id)).length;
      const res = await inspector().post(`/tasks/${task.id}/observations`, body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect((await events(task.id)).length).toBe(n0);
    });

    it('an unknown photo is a 400 naming photoIds', async () => {
      const theirs = '00000000-0000-4000-8000-00000000abcd';
      const n0 = (await events(task.id)).length;
      const res = await inspector().post(`/tasks/${task.id}/observations`, { photoIds: [theirs] });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('photoIds');
      expect((await events(task.id)).length).toBe(n0);
      expect(
        await count('SELECT count(*)::int AS n FROM task_attachments WHERE attachment_id = $1', [
          theirs,
        ]),
      ).toBe(0);
    });

    it('units may not (403 on their own task, 404 on another unit’s); unknown task 404', async () => {
      const n0 = (await events(task.id)).length;
      const own = await unitA().post(`/tasks/${task.id}/observations`, { note: '记录' });
      expect(own.status).toBe(403);
      expect(own.body.detail).toBe('只有督导员和创城办可以补充现场记录');
      const other = await unitB().post(`/tasks/${task.id}/observations`, { note: '记录' });
      expect(other.status).toBe(404);
      expect(other.body.code).toBe('TASK_NOT_FOUND');
      const none = await inspector().post(
        '/tasks/00000000-0000-4000-8000-000000000000/observations',
        { note: '记录' },
      );
      expect(none.status).toBe(404);
      expect((await events(task.id)).length).toBe(n0);
    });

    it('a closed or cancelled task is a 409', async () => {
      const gone = await newTask({ description: '将撤销的任务' });
      await admin()
        .post(`/tasks/${gone.id}/cancellation`, { version: gone.version, reason: '误报' })
        .expect(200);
      const res = await inspector().post(`/tasks/${gone.id}/observations`, { note: '记录' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('ILLEGAL_TRANSITION');
      expect(res.body).toMatchObject({
        detail: '任务当前状态为「已撤销」，不能补充现场记录',
        action: 'observe',
      });
      expect(await events(gone.id)).toEqual([]);
    });

    it('an observation does not make a unit’s pending submission stale', async () => {
      const fresh = await newTask({ description: '提交前有补充记录' });
      await inspector().post(`/tasks/${fresh.id}/observations`, { note: '仍未整改' }).expect(201);
      const after = await uploadPhoto(t, w.unitA.token);
      const res = await unitA().post(`/tasks/${fresh.id}/submissions`, {
        version: fresh.version,
        description: '已清理',
        afterPhotoIds: [after],
      });
      expect(res.status).toBe(200);
    });
  });

  describe('GET /tasks/checks/nearby: tasks awaiting a check, nearest first', () => {
    const ids: Record<string, string> = {};

    async function submitted(body: Record<string, unknown>): Promise<string> {
      const task = await newTask(body);
      const photo = await uploadPhoto(t, w.unitA.token);
      const res = await unitA().post(`/tasks/${task.id}/submissions`, {
        version: task.version,
        description: '已整改',
        afterPhotoIds: [photo],
      });
      expect(res.body.status).toBe('submitted');
      return task.id;
    }

    beforeAll(async () => {
      // Far away from the other tests' tasks (which are at P or have no position).
      const Q = { lat: 40.1, lng: 116.5 };
      ids.far = await submitted({ lat: Q.lat + 0.01, lng: Q.lng });
      ids.near = await submitted({ lat: Q.lat + 0.0001, lng: Q.lng });
      ids.noPosition = await submitted({});
      ids.assigned = (await newTask({ lat: Q.lat, lng: Q.lng })).id;
    });

    it('submitted tasks only, nearest first, those without a position last', async () => {
      const res = await inspector().get('/tasks/checks/nearby?lat=40.1&lng=116.5').expect(200);
      const items = res.body.items as { id: string; distanceM: number | null; status: string }[];
      expect(items.every((i) => i.status === 'submitted')).toBe(true);
      expect(items.map((i) => i.id)).not.toContain(ids.assigned);
      const mine = items.filter((i) => [ids.near, ids.far, ids.noPosition].includes(i.id));
      expect(mine.map((i) => i.id)).toEqual([ids.near, ids.far, ids.noPosition]);
      expect(mine[0].distanceM).toBeCloseTo(11.1, 0);
      expect(mine[1].distanceM).toBeCloseTo(1112, -1);
      expect(mine[2].distanceM).toBeNull();
      expect(items[0].id).toBe(ids.near);
      const distances = items.map((i) => i.distanceM).filter((d) => d !== null) as number[];
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
      expect(items.findIndex((i) => i.distanceM === null)).toBeGreaterThanOrEqual(distances.length);
    });

    it('limit: default 50, at most 200', async () => {
      const one = await admin().get('/tasks/checks/nearby?lat=40.1&lng=116.5&limit=1').expect(200);
      expect(one.body.items.map((i: { id: string }) => i.id)).toEqual([ids.near]);
      const res = await admin().get('/tasks/checks/nearby?lat=40.1&lng=116.5&limit=201');
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('limit');
    });

    it('units do not check: 403', async () => {
      await unitA().get('/tasks/checks/nearby?lat=40.1&lng=116.5').expect(403);
    });

    it('bad position: 400 naming the field', async () => {
      const res = await inspector().get('/tasks/checks/nearby?lat=40.1&lng=181');
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('lng');
    });

    // Last: its 51 tasks would push the other tests' tasks past the default limit.
    it('at most 50 without a limit', async () => {
      const [cat] = await t.ds.query(
        `INSERT INTO categories (code, name, group_name, measure_word, deadline_rule, requires_after_photo)
         VALUES ('ZX03', '占道经营', '街面秩序', '处', '{"kind":"work_days","days":1}', false) RETURNING id`,
      );
      const R = { lat: 39.7, lng: 115.9 };
      const made: string[] = [];
      for (let i = 0; i < 51; i += 1) {
        const task = await newTask({ categoryId: cat.id, lat: R.lat + i / 111_195, lng: R.lng });
        const res = await unitA().post(`/tasks/${task.id}/submissions`, {
          version: task.version,
          description: '已整改',
        });
        expect(res.body.status).toBe('submitted');
        made.push(task.id);
      }
      const res = await inspector()
        .get(`/tasks/checks/nearby?lat=${R.lat}&lng=${R.lng}`)
        .expect(200);
      expect(res.body.items.map((i: { id: string }) => i.id)).toEqual(made.slice(0, 50));
    });
  });
});
