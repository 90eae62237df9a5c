import { XMLParser } from 'fast-xml-parser';
import type { Response } from 'supertest';
import { as, buildLoopWorld, uploadPhoto, type LoopWorld } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) and mySociety's
 * servicerequestupdates: the element and field names of the spec's examples, both formats,
 * scoped by key like the REST API.
 */

const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';
/** The fields of a `request` in GET requests, in the spec's order. */
const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];
const SERVICE_FIELDS = [
  'service_code',
  'service_name',
  'description',
  'metadata',
  'type',
  'keywords',
  'group',
];
const UPDATE_FIELDS = [
  'update_id',
  'service_request_id',
  'status',
  'updated_datetime',
  'description',
  'media_url',
];
const W3C_BEIJING = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

const parser = new XMLParser({
  ignoreDeclaration: true,
  parseTagValue: false,
  isArray: (name) =>
    ['service', 'request', 'error', 'request_update', 'endpoint', 'format'].includes(name),
});

/** The parsed XML body, after checking the declaration and the content type. */
function xmlOf(res: Response): Record<string, unknown> {
  expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
  expect(res.text.startsWith(`${XML_DECLARATION}\n`)).toBe(true);
  return parser.parse(res.text) as Record<string, unknown>;
}

function jsonOf<T>(res: Response): T {
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  return JSON.parse(res.text) as T;
}

type Row = Record<string, unknown>;

describe('Open311 GeoReport v2', () => {
  let t: TestApp;
  let w: LoopWorld;
  let keyA: string;
  let keyB: string;
  /** Closed: submitted by unit A and passed at the check. */
  let closedA: { id: string; number: string; photo: string };
  /** Open with unit A. */
  let openA: { id: string; number: string };
  /** Dispatched by the office to unit B. */
  let openB: { id: string; number: string };

  const get = (path: string) => t.http().get(`/open311/v2/${path}`);
  const withKey = (path: string, key: string) =>
    get(`${path}${path.includes('?') ? '&' : '?'}api_key=${encodeURIComponent(key)}`);
  const asAdmin = (path: string) => get(path).set('authorization', `Bearer ${w.admin.token}`);

  async function newTask(siteId: string): Promise<{ id: string; number: string; version: number }> {
    const photo = await uploadPhoto(t, w.inspector.token);
    const res = await as(t, w.inspector.token).post('/tasks', {
      categoryId: w.categoryId,
      siteId,
      description: '2单元楼道堆放纸箱',
      beforePhotoIds: [photo],
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; number: string; version: number };
  }

  async function newKey(unitId: string): Promise<string> {
    const res = await as(t, w.admin.token).post('/api-keys', { unitId, name: '网格平台' });
    expect(res.status).toBe(201);
    return res.body.key as string;
  }

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    await t.ds.query(`UPDATE sites SET code = 'XS01' WHERE id = $1`, [w.siteA]);
    await t.ds.query(
      `UPDATE categories SET quick_phrases = ARRAY['楼道堆放杂物','占用消防通道'] WHERE id = $1`,
      [w.categoryId],
    );
    keyA = await newKey(w.unitA.unitId);
    keyB = await newKey(w.unitB.unitId);

    const c = await newTask(w.siteA);
    const after = await uploadPhoto(t, w.unitA.token);
    await as(t, w.unitA.token)
      .post(`/tasks/${c.id}/submissions`, {
        version: c.version,
        description: '已清理',
        afterPhotoIds: [after],
      })
      .expect(200);
    await as(t, w.inspector.token)
      .post(`/tasks/${c.id}/checks`, { version: c.version + 1, result: 'pass', note: '已整改到位' })
      .expect(200);
    const [photo] = (await t.ds.query(
      `SELECT attachment_id FROM task_attachments WHERE task_id = $1 AND role = 'before'`,
      [c.id],
    )) as { attachment_id: string }[];
    closedA = { id: c.id, number: c.number, photo: photo.attachment_id };

    openA = await newTask(w.siteA);
    const b = await newTask(w.siteNoUnit);
    await as(t, w.admin.token)
      .post(`/tasks/${b.id}/dispatch`, { version: b.version, unitId: w.unitB.unitId })
      .expect(200);
    openB = b;
  });
  afterAll(() => t.close());

  describe('GET services', () => {
    it('lists the active categories with the spec fields, in JSON', async () => {
      const res = await asAdmin('services.json').expect(200);
      const services = jsonOf<Row[]>(res);
      // Same sort order: by code.
      expect(services.map((s) => s.service_code)).toEqual(['GG01', 'HJ07']);
      for (const s of services) expect(Object.keys(s)).toEqual(SERVICE_FIELDS);
      expect(services[1]).toEqual({
        service_code: 'HJ07',
        service_name: '楼道堆物',
        description: '整改时限：3个工作日',
        metadata: false,
        type: 'realtime',
        keywords: '楼道堆放杂物, 占用消防通道',
        group: '市容环境',
      });
      expect(services[0]).toMatchObject({ service_code: 'GG01', keywords: null });
    });

    it('and in XML as <services><service>', async () => {
      const doc = xmlOf(await withKey('services.xml', keyA).expect(200));
      const services = (doc.services as { service: Row[] }).service;
      expect(services).toHaveLength(2);
      expect(Object.keys(services[1])).toEqual(SERVICE_FIELDS);
      expect(services[1]).toMatchObject({
        service_code: 'HJ07',
        service_name: '楼道堆物',
        metadata: 'false',
        type: 'realtime',
        group: '市容环境',
      });
    });

    it('a service definition has no attributes; an unknown code is the spec error 404', async () => {
      expect(jsonOf(await asAdmin('services/HJ07.json').expect(200))).toEqual({
        service_code: 'HJ07',
        attributes: [],
      });
      const doc = xmlOf(await asAdmin('services/HJ07.xml').expect(200));
      expect(doc).toEqual({ service_definition: { service_code: 'HJ07', attributes: '' } });
      const missing = await asAdmin('services/NOPE.json').expect(404);
      expect(jsonOf<Row[]>(missing)).toEqual([
        { code: 404, description: expect.stringMatching(/^service_code: /) },
      ]);
      const xml = xmlOf(await asAdmin('services/NOPE.xml').expect(404));
      expect(xml).toEqual({
        errors: { error: [{ code: '404', description: expect.stringMatching(/^service_code: /) }] },
      });
      await asAdmin('services/HJ07.csv').expect(404);
      const csv = xmlOf(await asAdmin('services.csv').expect(404));
      expect(csv).toEqual({
        errors: { error: [{ code: '404', description: expect.stringMatching(/^format: /) }] },
      });
    });
  });

  describe('credentials and scope', () => {
    it('answers 401 in the spec format without credentials, and with a wrong key', async () => {
      const res = await get('requests.json').expect(401);
      expect(jsonOf<Row[]>(res)).toEqual([
        { code: 401, description: expect.stringContaining('api_key') },
      ]);
      expect(res.headers['x-error-code']).toBe('UNAUTHENTICATED');
      const xml = xmlOf(await get('services.xml').expect(401));
      expect((xml.errors as { error: Row[] }).error[0].code).toBe('401');
      await withKey('requests.json', 'cck_notakey').expect(401);
    });

    it('a unit key (api_key, X-Api-Key or bearer) sees only its own unit’s requests', async () => {
      const mine = jsonOf<Row[]>(await withKey('requests.json', keyA).expect(200));
      expect(mine.map((r) => r.service_request_id).sort()).toEqual(
        [closedA.number, openA.number].sort(),
      );
      const header = jsonOf<Row[]>(await get('requests.json').set('x-api-key', keyB).expect(200));
      expect(header.map((r) => r.service_request_id)).toEqual([openB.number]);
      const bearer = jsonOf<Row[]>(
        await get('requests.json').set('authorization', `Bearer ${keyB}`).expect(200),
      );
      expect(bearer.map((r) => r.service_request_id)).toEqual([openB.number]);
      const office = jsonOf<Row[]>(await asAdmin('requests.json').expect(200));
      expect(office.map((r) => r.service_request_id)).toEqual(
        expect.arrayContaining([closedA.number, openA.number, openB.number]),
      );
    });

    it('another unit’s request is a 404 in the spec format; its own is a list of one', async () => {
      const res = await withKey(`requests/${openB.number}.json`, keyA).expect(404);
      expect(jsonOf<Row[]>(res)).toEqual([
        { code: 404, description: expect.stringMatching(/^service_request_id: /) },
      ]);
      const own = jsonOf<Row[]>(await withKey(`requests/${openB.number}.json`, keyB).expect(200));
      expect(own).toHaveLength(1);
      expect(own[0]).toMatchObject({
        service_request_id: openB.number,
        agency_responsible: '城子街道',
      });
      // The id route also takes the task's UUID.
      await withKey(`requests/${openB.id}.json`, keyA).expect(404);
      await withKey(`requests/${openB.id}.json`, keyB).expect(200);
    });
  });

  describe('GET requests', () => {
    it('maps a task to the spec fields: status, notes, unit, deadline, place, photo', async () => {
      const rows = jsonOf<Row[]>(await asAdmin(`requests/${closedA.number}.json`).expect(200));
      expect(Object.keys(rows[0])).toEqual(REQUEST_FIELDS);
      const [db] = (await t.ds.query(
        `SELECT created_at, deadline, lat, lng FROM tasks WHERE id = $1`,
        [closedA.id],
      )) as { created_at: Date; deadline: Date }[];
      expect(rows[0]).toMatchObject({
        service_request_id: closedA.number,
        status: 'closed',
        status_notes: '已销号',
        service_name: '楼道堆物',
        service_code: 'HJ07',
        description: '2单元楼道堆放纸箱',
        agency_responsible: '东辛房街道',
        service_notice: '派遣责任单位后按「3个工作日」时限整改，逾期督办',
        address: '西山社区 东辛房西山路1号',
        address_id: 'XS01',
        zipcode: null,
        media_url: expect.stringMatching(new RegExp(`/api/v1/attachments/${closedA.photo}$`)),
      });
      expect(rows[0].requested_datetime).toMatch(W3C_BEIJING);
      expect(rows[0].expected_datetime).toMatch(W3C_BEIJING);
      expect(new Date(rows[0].expected_datetime as string).getTime()).toBe(db.deadline.getTime());
      expect(new Date(rows[0].requested_datetime as string).getTime()).toBe(
        Math.floor(db.created_at.getTime() / 1000) * 1000,
      );

      // The media_url works with the caller's own credentials (here unit A's key).
      const media = new URL(rows[0].media_url as string);
      await t.http().get(media.pathname).set('x-api-key', keyA).expect(200);
      await t.http().get(media.pathname).set('x-api-key', keyB).expect(404);

      const open = jsonOf<Row[]>(await asAdmin(`requests/${openA.number}.json`).expect(200));
      expect(open[0]).toMatchObject({ status: 'open', status_notes: '整改中' });
    });

    it('writes XML as <service_requests><request> with the same fields', async () => {
      const doc = xmlOf(await withKey('requests.xml', keyA).expect(200));
      const requests = (doc.service_requests as { request: Row[] }).request;
      expect(requests).toHaveLength(2);
      for (const r of requests) expect(Object.keys(r)).toEqual(REQUEST_FIELDS);
      const closed = requests.find((r) => r.service_request_id === closedA.number);
      expect(closed).toMatchObject({
        status: 'closed',
        agency_responsible: '东辛房街道',
        zipcode: '',
      });
    });

    it('marks an overdue task in status_notes', async () => {
      await t.ds.query(`UPDATE tasks SET deadline = now() - interval '1 hour' WHERE id = $1`, [
        openB.id,
      ]);
      const rows = jsonOf<Row[]>(await withKey(`requests/${openB.number}.json`, keyB).expect(200));
      expect(rows[0]).toMatchObject({ status: 'open', status_notes: '整改中（超期）' });
    });

    it('filters by status, service_code, ids and dates', async () => {
      const numbers = async (q: string) =>
        jsonOf<Row[]>(await asAdmin(`requests.json?${q}`).expect(200)).map(
          (r) => r.service_request_id,
        );
      expect(await numbers('status=closed')).toEqual([closedA.number]);
      expect(await numbers('status=open')).toEqual(
        expect.arrayContaining([openA.number, openB.number]),
      );
      expect(await numbers('status=open')).not.toContain(closedA.number);
      expect((await numbers('status=open,closed')).length).toBe(3);
      expect(await numbers('service_code=GG01')).toEqual([]);
      expect((await numbers('service_code=GG01,HJ07')).length).toBe(3);
      expect((await numbers(`service_request_id=${openA.number},${openB.number}`)).sort()).toEqual(
        [openA.number, openB.number].sort(),
      );
      // service_request_id overrides the other arguments (the spec).
      expect(await numbers(`service_request_id=${closedA.number}&status=open`)).toEqual([
        closedA.number,
      ]);
      const future = new Date(Date.now() + 86_400_000).toISOString();
      expect(await numbers(`start_date=${encodeURIComponent(future)}`)).toEqual([]);
      const past = '2026-01-01T00:00:00Z';
      expect(await numbers(`start_date=${past}&end_date=2026-02-01T00:00:00%2B08:00`)).toEqual([]);
      const yesterday = new Date(Date.now() - 86_400_000).toISOString();
      expect((await numbers(`start_date=${encodeURIComponent(yesterday)}`)).length).toBe(3);
    });

    it('refuses bad filters with a 400 naming the parameter', async () => {
      const errors = async (q: string) => {
        const res = await asAdmin(`requests.json?${q}`).expect(400);
        expect(res.headers['x-error-code']).toBe('VALIDATION_FAILED');
        return jsonOf<Row[]>(res);
      };
      expect(await errors('status=pending')).toEqual([
        { code: 400, description: expect.stringMatching(/^status: /) },
      ]);
      expect((await errors('start_date=yesterday'))[0].description).toMatch(/^start_date: /);
      expect(
        (await errors('start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z'))[0]
          .description,
      ).toMatch(/^end_date: .*90/);
      expect(
        (await errors('start_date=2026-03-01T00:00:00Z&end_date=2026-02-01T00:00:00Z'))[0]
          .description,
      ).toMatch(/^end_date: /);
      expect((await errors('service_code=a%3Cb'))[0].description).toMatch(/^service_code: /);
      const xml = xmlOf(await asAdmin('requests.xml?status=x').expect(400));
      expect(xml).toEqual({
        errors: { error: [{ code: '400', description: expect.stringMatching(/^status: /) }] },
      });
    });
  });

  describe('POST requests', () => {
    const count = async () => Number((await t.ds.query('SELECT count(*) FROM tasks'))[0].count);
    const post = (path: string, token: string) =>
      t.http().post(`/open311/v2/${path}`).set('authorization', `Bearer ${token}`);

    it('creates a task from a form-encoded request through the task path: routed, with deadline', async () => {
      const res = await post('requests.json', w.inspector.token)
        .type('form')
        .send({
          service_code: 'HJ07',
          address_id: 'XS01',
          lat: '39.94',
          long: '116.1',
          description: '3号楼楼道堆放旧家具',
          email: 'ignored@example.com',
        })
        .expect(201);
      const body = jsonOf<Row[]>(res);
      expect(body).toEqual([
        {
          service_request_id: expect.stringMatching(/^ZG-\d{4}-\d{6}$/),
          service_notice: expect.stringMatching(
            /^已派东辛房街道，请于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 前整改$/,
          ),
          account_id: null,
        },
      ]);
      const [row] = await t.ds.query(
        `SELECT c.code, s.code AS site, t.unit_id, t.status, t.deadline, t.lat, t.lng, t.description, t.address
           FROM tasks t JOIN categories c ON c.id = t.category_id LEFT JOIN sites s ON s.id = t.site_id
          WHERE t.number = $1`,
        [body[0].service_request_id],
      );
      expect(row).toMatchObject({
        code: 'HJ07',
        site: 'XS01',
        unit_id: w.unitA.unitId,
        status: 'assigned',
        lat: 39.94,
        lng: 116.1,
        description: '3号楼楼道堆放旧家具',
        address: '东辛房西山路1号',
      });
      expect(row.deadline).toBeInstanceOf(Date);
      // The new request reads back under the number it was given.
      const read = jsonOf<Row[]>(
        await asAdmin(`requests/${body[0].service_request_id}.json`).expect(200),
      );
      expect(read[0]).toMatchObject({ status: 'open', agency_responsible: '东辛房街道' });
    });

    it('takes JSON, answers XML, and keeps coordinates alone as the address (pending dispatch)', async () => {
      const res = await post('requests.xml', w.admin.token)
        .send({ service_code: 'GG01', lat: 39.9, long: 116.2, description: '电线杆上小广告' })
        .expect(201);
      const doc = xmlOf(res);
      const [request] = (doc.service_requests as { request: Row[] }).request;
      expect(Object.keys(request)).toEqual(['service_request_id', 'service_notice', 'account_id']);
      expect(request).toMatchObject({ service_notice: '待创城办派遣责任单位', account_id: '' });
      const [row] = await t.ds.query(
        `SELECT status, unit_id, address, lat FROM tasks WHERE number = $1`,
        [request.service_request_id],
      );
      expect(row).toEqual({
        status: 'pending_dispatch',
        unit_id: null,
        address: '经纬度 39.900000, 116.200000',
        lat: 39.9,
      });
    });

    it('a unit key may not create (403, spec format), as with POST /tasks; nothing is written', async () => {
      const before = await count();
      const res = await t
        .http()
        .post('/open311/v2/requests.json')
        .type('form')
        .send({
          api_key: keyA,
          service_code: 'HJ07',
          address_string: '幸福路1号',
          description: '堆物',
        })
        .expect(403);
      expect(jsonOf<Row[]>(res)).toEqual([{ code: 403, description: expect.any(String) }]);
      expect(await count()).toBe(before);
    });

    it('refuses bad input with a 400 naming the spec field, and writes nothing', async () => {
      const before = await count();
      const bad = async (body: Record<string, string>, field: string) => {
        const res = await post('requests.json', w.inspector.token)
          .type('form')
          .send(body)
          .expect(400);
        const errors = jsonOf<Row[]>(res);
        expect(errors[0]).toEqual({
          code: 400,
          description: expect.stringMatching(new RegExp(`^${field}: `)),
        });
      };
      await bad({ service_code: 'HJ07', description: '堆物' }, 'lat');
      await bad({ service_code: 'HJ07', lat: '39.9', description: '堆物' }, 'long');
      await bad({ service_code: 'HJ07', lat: '95', long: '116', description: '堆物' }, 'lat');
      await bad({ service_code: 'HJ07', address_string: '幸福路1号' }, 'description');
      await bad({ address_string: '幸福路1号', description: '堆物' }, 'service_code');
      await bad(
        { service_code: 'NOPE', address_string: '幸福路1号', description: '堆物' },
        'service_code',
      );
      await bad({ service_code: 'HJ07', address_id: 'NOPE', description: '堆物' }, 'address_id');
      await bad(
        { service_code: 'HJ07', address_string: '幸福路1号', description: 'x'.repeat(2001) },
        'description',
      );
      expect(await count()).toBe(before);
    });

    it('honours Idempotency-Key as POST /tasks does', async () => {
      const before = await count();
      const send = () =>
        post('requests.json', w.inspector.token)
          .set('idempotency-key', 'open311-retry-0001')
          .type('form')
          .send({ service_code: 'HJ07', address_string: '幸福路2号', description: '堆物' })
          .expect(201);
      const first = jsonOf<Row[]>(await send());
      const second = jsonOf<Row[]>(await send());
      expect(second[0].service_request_id).toBe(first[0].service_request_id);
      expect(await count()).toBe(before + 1);
    });
  });

  describe('servicerequestupdates', () => {
    it('lists the status changes of the loop, oldest first, with open/closed after each', async () => {
      const all = jsonOf<Row[]>(await asAdmin('servicerequestupdates.json').expect(200));
      const mine = all.filter((u) => u.service_request_id === closedA.number);
      for (const u of mine) expect(Object.keys(u)).toEqual(UPDATE_FIELDS);
      expect(mine.map((u) => [u.status, u.description])).toEqual([
        ['open', '立案，整改中'],
        ['open', '提交整改，待复查：已清理'],
        ['closed', '复查通过，已销号：已整改到位'],
      ]);
      // The task's status changes; a 反弹 logged near it later (a `recur` event) changes nothing.
      const ids = (await t.ds.query(
        `SELECT id::text FROM task_events
          WHERE task_id = $1 AND from_status IS DISTINCT FROM to_status ORDER BY id`,
        [closedA.id],
      )) as { id: string }[];
      const recurs = (await t.ds.query(
        `SELECT count(*)::int AS n FROM task_events WHERE task_id = $1 AND action = 'recur'`,
        [closedA.id],
      )) as { n: number }[];
      expect(ids.length + recurs[0].n).toBe(
        (
          (await t.ds.query(`SELECT count(*)::int AS n FROM task_events WHERE task_id = $1`, [
            closedA.id,
          ])) as { n: number }[]
        )[0].n,
      );
      expect(mine.map((u) => u.update_id)).toEqual(ids.map((r) => r.id));
      expect(mine[0].updated_datetime).toMatch(W3C_BEIJING);
      expect(mine[0].media_url).toMatch(new RegExp(`/api/v1/attachments/${closedA.photo}$`));
      const dispatched = all.filter((u) => u.service_request_id === openB.number);
      expect(dispatched.map((u) => u.description)).toEqual(['立案，待派遣', '派遣，整改中']);
    });

    it('is scoped by key and written as <service_requests_updates><request_update>', async () => {
      const doc = xmlOf(await withKey('servicerequestupdates.xml', keyB).expect(200));
      const updates = (doc.service_requests_updates as { request_update: Row[] }).request_update;
      expect(new Set(updates.map((u) => u.service_request_id))).toEqual(new Set([openB.number]));
      expect(Object.keys(updates[0])).toEqual(UPDATE_FIELDS);
      const future = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
      const empty = await withKey(`servicerequestupdates.xml?start_date=${future}`, keyB).expect(
        200,
      );
      expect(xmlOf(empty)).toEqual({ service_requests_updates: '' });
      const bad = await asAdmin('servicerequestupdates.json?end_date=soon').expect(400);
      expect(jsonOf<Row[]>(bad)[0].description).toMatch(/^end_date: /);
    });
  });

  it('describes itself in a Service Discovery document', async () => {
    const doc = jsonOf<Row>(
      await asAdmin('discovery.json').set('x-forwarded-proto', 'https').expect(200),
    );
    expect(doc).toMatchObject({
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: expect.stringMatching(/^https:\/\/[^/]+\/open311\/v2$/),
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    });
    const xml = xmlOf(await asAdmin('discovery.xml').expect(200));
    expect(
      (xml.discovery as { endpoints: { endpoint: Row[] } }).endpoints.endpoint[0].formats,
    ).toEqual({
      format: ['text/xml', 'application/json'],
    });
  });
});
