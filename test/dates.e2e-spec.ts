import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from './support/test-app.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';

/**
 * Every route that takes a date or a time, with every form the field report found: each is a
 * 400 naming the field — never a 500 ("Invalid time value"), never a silent guess. The parser's
 * own table is src/common/time/iso-time.spec.ts.
 */

const BAD_INSTANTS = [
  '2027-W01-1',
  '20271201',
  '2027-12-01T10',
  '2027-012',
  '2027-12-01 10:00:00',
  '2027-12',
  '2027-02-30',
  '2027-12-01T25:00:00+08:00',
  '9999-12-31T00:00:00Z',
  '9999-12-31',
  'tomorrow',
];
const BAD_DAYS = [...BAD_INSTANTS, '2027-12-01T00:00:00+08:00'];

type Who = 'admin' | 'inspector' | 'unit';
interface Case {
  name: string;
  who: Who;
  method: 'get' | 'post' | 'patch';
  path: string;
  field: string;
  /** The body (or query) around the bad value. */
  build: (bad: string) => Record<string, unknown>;
  /** The field as the problem names it, when nested. */
  reported?: string;
  kind: 'day' | 'instant';
}

describe('dates and times: one parser, a 400 naming the field', () => {
  let t: TestApp;
  let w: LoopWorld;
  const someId = randomUUID();
  let inspectionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    const res = await as(t, w.admin.token).post('/inspections', {
      kind: 'inspection',
      activity: '督导检查',
      leadPersons: ['王建华'],
      heldOn: '2026-11-20',
      location: '永定镇',
    });
    expect(res.status).toBe(201);
    inspectionId = res.body.id as string;
  });
  afterAll(() => t.close());

  const cases: Case[] = [
    {
      name: 'POST /api-keys',
      who: 'admin',
      method: 'post',
      path: '/api-keys',
      field: 'expiresAt',
      kind: 'instant',
      build: (v) => ({ unitId: someId, name: 'k', expiresAt: v }),
    },
    {
      name: 'POST /tasks',
      who: 'admin',
      method: 'post',
      path: '/tasks',
      field: 'deadline',
      kind: 'instant',
      build: (v) => ({ categoryId: someId, address: '某路1号', description: 'x', deadline: v }),
    },
    ...['createdFrom', 'createdTo', 'closedFrom', 'closedTo', 'deadlineFrom', 'deadlineTo'].map(
      (field): Case => ({
        name: `GET /tasks?${field}`,
        who: 'admin',
        method: 'get',
        path: '/tasks',
        field,
        kind: 'instant',
        build: (v) => ({ [field]: v }),
      }),
    ),
    ...(
      [
        ['dispatch', 'deadline', 'admin', { unitId: someId }],
        ['reassignment', 'deadline', 'admin', { unitId: someId }],
        ['checks', 'deadline', 'inspector', { result: 'fail' }],
        ['extension-requests', 'requestedDeadline', 'unit', { reason: '需要时间' }],
        [`extension-requests/${someId}/decision`, 'deadline', 'admin', { approve: true }],
        ['resume', 'deadline', 'admin', {}],
        ['reopen', 'deadline', 'admin', { reason: '反弹' }],
        ['deadline', 'deadline', 'admin', { reason: '调整' }],
      ] as const
    ).map(([action, field, who, rest]): Case => ({
      name: `POST /tasks/:id/${action}`,
      who,
      method: 'post',
      path: `/tasks/${someId}/${action}`,
      field,
      kind: 'instant',
      build: (v) => ({ ...rest, [field]: v }),
    })),
    {
      name: 'POST /tasks/:id/hold',
      who: 'admin',
      method: 'post',
      path: `/tasks/${someId}/hold`,
      field: 'reviewOn',
      kind: 'day',
      build: (v) => ({ reason: '需要工程', reviewOn: v }),
    },
    {
      name: 'POST /inspections',
      who: 'inspector',
      method: 'post',
      path: '/inspections',
      field: 'heldOn',
      kind: 'day',
      build: (v) => ({
        kind: 'inspection',
        activity: '检查',
        leadPersons: ['王建华'],
        heldOn: v,
        location: '永定镇',
      }),
    },
    {
      name: 'POST /inspections with a task',
      who: 'inspector',
      method: 'post',
      path: '/inspections',
      field: 'deadline',
      reported: 'tasks.0.deadline',
      kind: 'instant',
      build: (v) => ({
        kind: 'inspection',
        activity: '检查',
        leadPersons: ['王建华'],
        heldOn: '2026-11-20',
        location: '永定镇',
        tasks: [{ categoryId: someId, address: '某路1号', description: 'x', deadline: v }],
      }),
    },
    {
      name: 'PATCH /inspections/:id',
      who: 'admin',
      method: 'patch',
      path: '/inspections/:inspection',
      field: 'heldOn',
      kind: 'day',
      build: (v) => ({ heldOn: v }),
    },
    ...['from', 'to'].map((field): Case => ({
      name: `GET /inspections?${field}`,
      who: 'admin',
      method: 'get',
      path: '/inspections',
      field,
      kind: 'day',
      build: (v) => ({ [field]: v }),
    })),
    ...(
      [
        ['periodStart', 'instant'],
        ['periodEnd', 'instant'],
        ['issueDate', 'day'],
      ] as const
    ).map(([field, kind]): Case => ({
      name: `POST /bulletins ${field}`,
      who: 'admin',
      method: 'post',
      path: '/bulletins',
      field,
      kind,
      build: (v) => ({ [field]: v }),
    })),
    ...['from', 'to'].map((field): Case => ({
      name: `GET /reports/digest?${field}`,
      who: 'admin',
      method: 'get',
      path: '/reports/digest',
      field,
      kind: 'day',
      build: (v) => ({ [field]: v }),
    })),
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const token = { admin: w.admin.token, inspector: w.inspector.token, unit: w.unitA.token }[
      c.who
    ];
    const path = c.path.replace(':inspection', inspectionId);
    const failures: string[] = [];
    for (const bad of c.kind === 'day' ? BAD_DAYS : BAD_INSTANTS) {
      const payload = c.build(bad);
      const req =
        c.method === 'get'
          ? t.http().get(`/api/v1${path}`).query(payload)
          : t.http()[c.method](`/api/v1${path}`).send(payload);
      const res = await req.set('authorization', `Bearer ${token}`);
      const fields = ((res.body.errors ?? []) as { field: string }[]).map((e) => e.field);
      if (res.status !== 400 || !fields.includes(c.reported ?? c.field)) {
        failures.push(`${bad} → ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it.each(['get', 'post'] as const)('%s /reports/digests/:weekStart', async (method) => {
    const failures: string[] = [];
    for (const bad of [
      '2027-W01',
      '20261109',
      '2026-11',
      '9999-12-27',
      '1900-01-01',
      '2026-02-30',
    ]) {
      const url = `/api/v1/reports/digests/${bad}`;
      const req = method === 'get' ? t.http().get(url) : t.http().post(url);
      const res = await req.set('authorization', `Bearer ${w.admin.token}`);
      const fields = ((res.body.errors ?? []) as { field: string }[]).map((e) => e.field);
      if (res.status !== 400 || !fields.includes('weekStart')) {
        failures.push(`${bad} → ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('an offset-less date-time is Beijing time, and a good value passes the validator', async () => {
    const res = await as(t, w.admin.token).post('/tasks', {
      categoryId: w.categoryId,
      siteId: w.siteA,
      description: '楼道堆物',
      deadline: '2099-12-01T10:00',
    });
    expect(res.status).toBe(201);
    const [row] = (await t.ds.query('SELECT deadline FROM tasks WHERE id = $1', [res.body.id])) as {
      deadline: Date;
    }[];
    expect(row.deadline.toISOString()).toBe('2099-12-01T02:00:00.000Z');
  });
});
