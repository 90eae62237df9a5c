import { jest } from '@jest/globals';
import { TaskReader } from '../../src/tasks/task-reader.js';
import { uploadPhoto } from '../support/fixtures.js';
import { bj, mediumWorld, ok, type MediumWorld } from './medium-world.js';

/**
 * What creating a task writes (POST /tasks): who may pick the unit, deadline and 来源; where the
 * task goes (the office's unit, else the site's default unit while active, else the dispatch
 * queue) and its deadline; the place and text as stored; and the create event of the trail.
 * Judged by the rows of `tasks` and `task_events`, at a controlled clock (Monday 2026-11-09).
 */
describe('what creating a task writes', () => {
  let m: MediumWorld;
  /** A site with a position whose default unit was deactivated. */
  let siteOfRetiredUnit: string;
  /** A site with a position and an address, routed to unit B. */
  let siteB: string;
  /** A deactivated unit, a deactivated site and a deactivated category. */
  let retiredUnit: string;
  let retiredSite: string;
  let retiredCategory: string;

  interface TaskRow {
    status: string;
    unit_id: string | null;
    assigned_at: Date | null;
    deadline: Date | null;
    assessed_deadline: Date | null;
    deadline_overridden: boolean;
    site_id: string | null;
    address: string | null;
    lat: number | null;
    lng: number | null;
    description: string;
    source: string;
    found_at: Date;
    created_by: string;
    recurrence_of_id: string | null;
  }
  const row = async (id: string): Promise<TaskRow> => {
    const [r] = (await m.t.ds.query(
      `SELECT status, unit_id, assigned_at, deadline, assessed_deadline, deadline_overridden,
              site_id, address, lat, lng, description, source, found_at, created_by, recurrence_of_id
         FROM tasks WHERE id = $1`,
      [id],
    )) as TaskRow[];
    return r;
  };
  const createEvent = async (id: string) => {
    const events = (await m.t.ds.query(
      `SELECT action, from_status, to_status, data FROM task_events WHERE task_id = $1 ORDER BY id`,
      [id],
    )) as { action: string; from_status: string | null; to_status: string; data: unknown }[];
    expect(events).toHaveLength(1);
    return events[0];
  };

  beforeAll(async () => {
    m = await mediumWorld('2026-11-09 09:00');
    const [retired] = (await m.t.ds.query(
      `INSERT INTO units (code, name, kind, active) VALUES ('RET1', '已撤并街道', 'street', false) RETURNING id`,
    )) as { id: string }[];
    const [a] = (await m.t.ds.query(
      `INSERT INTO sites (name, kind, address, lat, lng, default_unit_id)
       VALUES ('撤并社区', '社区', '撤并路1号', 39.91, 116.1, $1) RETURNING id`,
      [retired.id],
    )) as { id: string }[];
    siteOfRetiredUnit = a.id;
    retiredUnit = retired.id;
    const [rs] = (await m.t.ds.query(
      `INSERT INTO sites (name, kind, address, active) VALUES ('拆除社区', '社区', '拆除路1号', false) RETURNING id`,
    )) as { id: string }[];
    retiredSite = rs.id;
    const [rc] = (await m.t.ds.query(
      `INSERT INTO categories (code, name, group_name, measure_word, deadline_rule, active)
       VALUES ('MCRET', '已停用类别', '街面秩序', '处', '{"kind":"work_days","days":3}', false) RETURNING id`,
    )) as { id: string }[];
    retiredCategory = rc.id;
    const [b] = (await m.t.ds.query(
      `INSERT INTO sites (name, kind, address, lat, lng, default_unit_id)
       VALUES ('门头口社区', '社区', '门头口路8号', 39.93, 116.12, $1) RETURNING id`,
      [m.w.unitB.unitId],
    )) as { id: string }[];
    siteB = b.id;
  });
  afterAll(() => m.close());

  it('an inspector may not pick the unit, the deadline or a 来源 other than 督导检查', async () => {
    m.setNow('2026-11-09 09:00');
    const base = { categoryId: m.checkedCategory, siteId: m.w.siteA, description: '越权字段' };
    const deadline = bj('2026-11-20 18:00').toISOString();
    for (const [extra, field] of [
      [{ unitId: m.w.unitB.unitId }, 'unitId'],
      [{ deadline }, 'deadline'],
      [{ source: 'hotline' }, 'source'],
      [{ unitId: m.w.unitB.unitId, deadline, source: 'hotline' }, 'unitId'],
      [{ deadline, source: 'hotline' }, 'deadline'],
    ] as const) {
      const res = await m.inspector().post('/tasks', { ...base, ...extra });
      expect({ extra, status: res.status, errors: res.body.errors }).toEqual({
        extra,
        status: 403,
        errors: [{ field, code: 'officeOnly', message: '只有创城办可以指定' }],
      });
    }
    // The default 来源 named explicitly is the inspector's own.
    const x = await ok(m.inspector().post('/tasks', { ...base, source: 'inspection' }));
    expect(await row(x.id)).toMatchObject({ source: 'inspection', unit_id: m.w.unitA.unitId });
    const [{ count }] = (await m.t.ds.query(
      `SELECT count(*)::int AS count FROM tasks WHERE description = '越权字段'`,
    )) as { count: number }[];
    expect(count).toBe(1);
  });

  it('the office names a 来源; an unknown one is a 400 naming the field', async () => {
    m.setNow('2026-11-09 09:00');
    const base = { categoryId: m.checkedCategory, siteId: m.w.siteA, description: '热线转办' };
    const bad = await m.office().post('/tasks', { ...base, source: 'rumour' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('source');
    const x = await ok(m.office().post('/tasks', { ...base, source: 'hotline' }));
    expect(await row(x.id)).toMatchObject({ source: 'hotline' });
    expect((await createEvent(x.id)).data).toMatchObject({ source: 'hotline' });
  });

  it("routed by the site's default unit: assigned now, the category's deadline, not overridden", async () => {
    m.setNow('2026-11-09 09:00');
    const x = await ok(
      m.inspector().post('/tasks', {
        categoryId: m.checkedCategory,
        siteId: siteB,
        description: '  门头口路沿街晾晒  ',
      }),
    );
    const r = await row(x.id);
    expect(r).toMatchObject({
      status: 'assigned',
      unit_id: m.w.unitB.unitId,
      assigned_at: bj('2026-11-09 09:00'),
      deadline_overridden: false,
      site_id: siteB,
      // The site's place when the problem names none; the text without its blanks.
      address: '门头口路8号',
      lat: 39.93,
      lng: 116.12,
      description: '门头口路沿街晾晒',
      source: 'inspection',
      found_at: bj('2026-11-09 09:00'),
      created_by: m.w.inspector.id,
      recurrence_of_id: null,
    });
    // Three working days, counted by the working calendar.
    expect(r.deadline!.getTime()).toBeGreaterThan(bj('2026-11-11 18:00').getTime());
    expect(r.deadline!.getTime()).toBeLessThanOrEqual(bj('2026-11-12 18:00').getTime());
    expect(r.assessed_deadline).toEqual(r.deadline);
    expect(await createEvent(x.id)).toEqual({
      action: 'create',
      from_status: null,
      to_status: 'assigned',
      data: {
        unitId: m.w.unitB.unitId,
        deadline: r.deadline!.toISOString(),
        routed: 'site',
        source: 'inspection',
      },
    });
  });

  it("the office's unit and deadline win over the site's; the place given wins over the site's", async () => {
    m.setNow('2026-11-09 09:00');
    const x = await ok(
      m.office().post('/tasks', {
        categoryId: m.checkedCategory,
        siteId: siteB,
        unitId: m.w.unitA.unitId,
        deadline: bj('2026-11-20 18:00').toISOString(),
        address: ' 门头口路8号东侧 ',
        lat: 39.931,
        lng: 116.121,
        description: '指定单位和时限',
      }),
    );
    const r = await row(x.id);
    expect(r).toMatchObject({
      status: 'assigned',
      unit_id: m.w.unitA.unitId,
      assigned_at: bj('2026-11-09 09:00'),
      deadline: bj('2026-11-20 18:00'),
      assessed_deadline: bj('2026-11-20 18:00'),
      deadline_overridden: true,
      site_id: siteB,
      address: '门头口路8号东侧',
      lat: 39.931,
      lng: 116.121,
      created_by: m.w.admin.id,
    });
    expect((await createEvent(x.id)).data).toEqual({
      unitId: m.w.unitA.unitId,
      deadline: bj('2026-11-20 18:00').toISOString(),
      routed: 'office',
      source: 'inspection',
    });
  });

  it('no route: waits for dispatch without an assignment time or deadline', async () => {
    m.setNow('2026-11-09 09:00');
    for (const [place, retired] of [
      [{ siteId: m.w.siteNoUnit }, false],
      [{ address: ' 永定路口 ' }, false],
      // The site's default unit was deactivated: it routes nowhere.
      [{ siteId: siteOfRetiredUnit }, true],
    ] as const) {
      const x = await ok(
        m.inspector().post('/tasks', {
          categoryId: m.checkedCategory,
          ...place,
          description: '待派遣',
        }),
      );
      expect(await row(x.id)).toMatchObject({
        status: 'pending_dispatch',
        unit_id: null,
        assigned_at: null,
        deadline: null,
        assessed_deadline: null,
        deadline_overridden: false,
        ...('address' in place ? { site_id: null, address: '永定路口', lat: null, lng: null } : {}),
        ...(retired ? { address: '撤并路1号', lat: 39.91, lng: 116.1 } : {}),
      });
      expect(await createEvent(x.id)).toEqual({
        action: 'create',
        from_status: null,
        to_status: 'pending_dispatch',
        data: { unitId: null, deadline: null, routed: 'none', source: 'inspection' },
      });
    }
  });

  it('an Idempotency-Key: a retry answers the task as it is now; the key is the caller’s own', async () => {
    m.setNow('2026-11-09 09:00');
    const body = {
      categoryId: m.checkedCategory,
      siteId: m.w.siteA,
      unitId: m.w.unitA.unitId,
      deadline: bj('2026-11-13 18:00').toISOString(),
      description: '重试的创建',
    };
    const post = (who: 'office' | 'inspector', b: object) =>
      m[who]().post('/tasks', b).set('Idempotency-Key', 'create-retry-1');
    const first = await ok(post('office', body));
    m.setNow('2026-11-09 10:00');
    const asked = await ok(
      m.unitA().post(`/tasks/${first.id}/extension-requests`, {
        version: first.version,
        requestedDeadline: bj('2026-11-20 18:00').toISOString(),
        reason: '需协调物业清运',
      }),
    );
    const retried = await ok(post('office', body));
    expect(retried.id).toBe(first.id);
    // The replay reads the task as it is now: the 延期申请 made since is shown.
    expect(retried.pendingExtension).toEqual(asked.pendingExtension);
    expect(retried.pendingExtension).not.toBeNull();
    // The same key from another user is that user's: a task of its own, not a conflict.
    const other = await ok(
      post('inspector', { categoryId: m.checkedCategory, siteId: m.w.siteA, description: '同键' }),
    );
    expect(other.id).not.toBe(first.id);
    const [{ count }] = (await m.t.ds.query(
      `SELECT count(*)::int AS count FROM tasks WHERE description IN ('重试的创建', '同键')`,
    )) as { count: number }[];
    expect(count).toBe(2);
  });

  it('the answer of a new task skips the look-up of pending requests; a replayed one reads them', async () => {
    // A task just created has no pending 延期 or 申诉 (one statement less per create); a replay
    // answers the task as it is now, which may have one (see the Idempotency-Key test).
    m.setNow('2026-11-09 09:00');
    const spy = jest.spyOn(m.t.app.get(TaskReader), 'detail');
    try {
      const body = { categoryId: m.checkedCategory, siteId: m.w.siteA, description: '读回' };
      const post = () => m.inspector().post('/tasks', body).set('Idempotency-Key', 'read-back-1');
      const first = await ok(post());
      expect(spy.mock.calls.map((c) => [c[1], c[2]])).toEqual([[first.id, { nonePending: true }]]);
      spy.mockClear();
      expect((await ok(post())).id).toBe(first.id);
      expect(spy.mock.calls.map((c) => [c[1], c[2]])).toEqual([[first.id, { nonePending: false }]]);
    } finally {
      spy.mockRestore();
    }
  });

  it('a read-back that fails after COMMIT: 503 naming the stored task, which exists once', async () => {
    m.setNow('2026-11-09 09:00');
    const spy = jest
      .spyOn(m.t.app.get(TaskReader), 'detail')
      .mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
    const res = await m.inspector().post('/tasks', {
      categoryId: m.checkedCategory,
      siteId: m.w.siteA,
      description: '保存后读取失败',
    });
    spy.mockRestore();
    const rows = (await m.t.ds.query(
      `SELECT id FROM tasks WHERE description = '保存后读取失败'`,
    )) as {
      id: string;
    }[];
    expect(rows).toHaveLength(1);
    const [{ id }] = rows;
    expect({ status: res.status, body: res.body }).toMatchObject({
      status: 503,
      body: {
        code: 'COMMITTED_READ_FAILED',
        id,
        location: `/api/v1/tasks/${id}`,
      },
    });
    expect((await createEvent(id)).to_status).toBe('assigned');
  });

  it('a retired or unknown category, site or unit, a past deadline, no place, half a position or a future foundAt is refused naming its field', async () => {
    m.setNow('2026-11-09 09:00');
    const base = { categoryId: m.checkedCategory, siteId: m.w.siteA, description: '引用无效' };
    const unknown = '00000000-0000-4000-8000-000000000000';
    const cases = [
      [{ categoryId: retiredCategory }, 400, 'categoryId', 'categoryExists'],
      [{ categoryId: unknown }, 400, 'categoryId', 'categoryExists'],
      [{ siteId: retiredSite }, 400, 'siteId', 'siteExists'],
      [{ siteId: unknown }, 400, 'siteId', 'siteExists'],
      [{ unitId: retiredUnit }, 422, 'unitId', 'unitActive'],
      [{ unitId: unknown }, 422, 'unitId', 'unitActive'],
      [
        { unitId: m.w.unitA.unitId, deadline: bj('2026-11-09 08:59').toISOString() },
        400,
        'deadline',
        'futureDate',
      ],
      // Neither a site nor an address: nowhere to send anyone.
      [{ siteId: undefined }, 400, 'address', 'siteOrAddress'],
      [{ foundAt: bj('2026-11-09 09:10').toISOString() }, 400, 'foundAt', 'tooFarInFuture'],
      // Half a position is none: not the site's other half, not a point on the equator.
      [{ lat: 39.92 }, 400, 'lng', 'latLngPair'],
      [{ lng: 116.1 }, 400, 'lat', 'latLngPair'],
    ] as const;
    const answers = [];
    for (const [extra] of cases) {
      const res = await m.office().post('/tasks', { ...base, ...extra });
      const [e] = (res.body.errors ?? []) as { field: string; code: string }[];
      answers.push([extra, res.status, e?.field, e?.code]);
    }
    expect(answers).toEqual(cases);
    const [{ count }] = (await m.t.ds.query(
      `SELECT count(*)::int AS count FROM tasks WHERE description = '引用无效'`,
    )) as { count: number }[];
    expect(count).toBe(0);
  });

  it('its before-photos are linked to the task as before-photos by the create event', async () => {
    m.setNow('2026-11-09 09:00');
    const photo = await uploadPhoto(m.t, m.w.inspector.token);
    const x = await ok(
      m.inspector().post('/tasks', {
        categoryId: m.checkedCategory,
        siteId: m.w.siteA,
        description: '带照片的问题',
        beforePhotoIds: [photo],
      }),
    );
    expect(x.beforePhotoIds).toEqual([photo]);
    const links = (await m.t.ds.query(
      `SELECT a.attachment_id, a.role, e.action FROM task_attachments a
         JOIN task_events e ON e.id = a.event_id WHERE a.task_id = $1`,
      [x.id],
    )) as { attachment_id: string; role: string; action: string }[];
    expect(links).toEqual([{ attachment_id: photo, role: 'before', action: 'create' }]);
  });

  it('an unknown before-photo is a 400 naming beforePhotoIds', async () => {
    m.setNow('2026-11-09 09:00');
    const bad = await m.inspector().post('/tasks', {
      categoryId: m.checkedCategory,
      siteId: m.w.siteA,
      description: '照片不存在',
      beforePhotoIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('beforePhotoIds');
  });

  it('under a 督导检查: linked when it stands; a voided or unknown one is a 400 naming inspectionId', async () => {
    m.setNow('2026-11-09 09:00');
    const inspection = async (voided: boolean) =>
      (
        (await m.t.ds.query(
          `INSERT INTO inspections (kind, activity, lead_persons, held_on, location, created_by,
                                    voided_at, voided_by, void_reason)
           VALUES ('inspection', '周例行督导', '{张组长}', '2026-11-09', '西山社区', $1, $2, $3, $4)
           RETURNING id`,
          voided
            ? [m.w.inspector.id, bj('2026-11-09 08:00'), m.w.admin.id, '录入有误']
            : [m.w.inspector.id, null, null, null],
        )) as { id: string }[]
      )[0].id;
    const body = (inspectionId: string) => ({
      categoryId: m.checkedCategory,
      siteId: m.w.siteA,
      description: '检查中发现',
      inspectionId,
    });
    const standing = await inspection(false);
    const x = await ok(m.inspector().post('/tasks', body(standing)));
    const [{ inspection_id }] = (await m.t.ds.query(
      'SELECT inspection_id FROM tasks WHERE id = $1',
      [x.id],
    )) as { inspection_id: string | null }[];
    expect(inspection_id).toBe(standing);
    for (const id of [await inspection(true), '00000000-0000-4000-8000-000000000000']) {
      const res = await m.inspector().post('/tasks', body(id));
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ field: 'inspectionId', code: 'inspectionExists' });
    }
    const [{ inspection_id: plain }] = (await m.t.ds.query(
      'SELECT inspection_id FROM tasks WHERE id = $1',
      [(await ok(m.inspector().post('/tasks', { ...body(standing), inspectionId: undefined }))).id],
    )) as { inspection_id: string | null }[];
    expect(plain).toBeNull();
  });
});
