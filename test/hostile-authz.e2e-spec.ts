import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { createTestApp, type TestApp } from './support/test-app.js';
import { as, buildLoopWorld, uploadPhoto, type LoopWorld } from './support/fixtures.js';

/**
 * The authorisation matrix: every route of the OpenAPI document × every kind of caller, with the
 * status class each must get. Resource routes use real ids of unit A, so a caller of unit B must
 * get 404 (the resource does not exist for it), never 200 or 403.
 *
 * Classes: `401` no or bad credentials; `403` known caller, not allowed; `404` not visible (or
 * not there); `ok` got past authorisation: 2xx, or a 400/409/415/422 about the request itself.
 * Task actions carry a valid body with a stale version, so an allowed caller gets 409
 * VERSION_CONFLICT (the lifecycle decides visibility and role before the version) and nothing
 * changes.
 *
 * A route added to the API without a row here fails the first test: add its row.
 */

const CALLERS = ['anon', 'admin', 'inspector', 'unitA', 'unitKey', 'unitB'] as const;
type Caller = (typeof CALLERS)[number];

// prettier-ignore
const MATRIX: Record<string, string> = {
  //                                                          anon admin insp unitA key unitB
  'GET /health':                                             'ok   ok    ok   ok    ok  ok',
  'GET /health/ready':                                       'ok   ok    ok   ok    ok  ok',
  'GET /docs':                                               'ok   ok    ok   ok    ok  ok',
  'GET /docs-json':                                          'ok   ok    ok   ok    ok  ok',
  'POST /api/v1/auth/login':                                 'ok   ok    ok   ok    ok  ok',
  'POST /api/v1/auth/refresh':                               'ok   ok    ok   ok    ok  ok',
  'POST /api/v1/auth/logout':                                'ok   ok    ok   ok    ok  ok',
  'GET /api/v1/me':                                          '401  ok    ok   ok    ok  ok',
  'POST /api/v1/me/password':                                '401  ok    ok   ok    403 ok',
  'GET /api/v1/api-keys':                                    '401  ok    403  403   403 403',
  'POST /api/v1/api-keys':                                   '401  ok    403  403   403 403',
  'DELETE /api/v1/api-keys/{id}':                            '401  ok    403  403   403 403',
  'GET /api/v1/units':                                       '401  ok    ok   ok    ok  ok',
  'POST /api/v1/units':                                      '401  ok    403  403   403 403',
  'GET /api/v1/units/{id}':                                  '401  ok    ok   ok    ok  ok',
  'GET /api/v1/units/{id}/webhook':                          '401  ok    403  ok    ok  404',
  // Unit A has no webhook here: 409 WEBHOOK_NOT_SET for whoever may ping it.
  'POST /api/v1/units/{id}/webhook/ping':                    '401  ok    403  ok    ok  404',
  'PATCH /api/v1/units/{id}':                                '401  ok    403  403   403 403',
  'PUT /api/v1/units/{id}/webhook':                          '401  ok    403  403   403 403',
  'GET /api/v1/users':                                       '401  ok    403  403   403 403',
  'POST /api/v1/users':                                      '401  ok    403  403   403 403',
  'GET /api/v1/users/{id}':                                  '401  ok    403  403   403 403',
  'PATCH /api/v1/users/{id}':                                '401  ok    403  403   403 403',
  'GET /api/v1/sources':                                     '401  ok    ok   ok    ok  ok',
  'POST /api/v1/imports':                                    '401  ok    403  403   403 403',
  'GET /api/v1/imports/template.xlsx':                       '401  ok    403  403   403 403',
  'GET /api/v1/imports/{id}':                                '401  404   403  403   403 403',
  'DELETE /api/v1/imports/{id}':                             '401  404   403  403   403 403',
  'PUT /api/v1/imports/{id}/mapping':                        '401  404   403  403   403 403',
  'POST /api/v1/imports/{id}/confirmation':                  '401  404   403  403   403 403',
  'GET /api/v1/categories':                                  '401  ok    ok   ok    ok  ok',
  'POST /api/v1/categories':                                 '401  ok    403  403   403 403',
  'GET /api/v1/categories/{id}':                             '401  ok    ok   ok    ok  ok',
  'PATCH /api/v1/categories/{id}':                           '401  ok    403  403   403 403',
  'GET /api/v1/sites':                                       '401  ok    ok   ok    ok  ok',
  'POST /api/v1/sites':                                      '401  ok    403  403   403 403',
  'GET /api/v1/sites/{id}':                                  '401  ok    ok   ok    ok  ok',
  'PATCH /api/v1/sites/{id}':                                '401  ok    403  403   403 403',
  'POST /api/v1/tasks':                                      '401  ok    ok   403   403 403',
  'GET /api/v1/tasks':                                       '401  ok    ok   ok    ok  ok',
  'GET /api/v1/tasks/counts':                                '401  ok    ok   ok    ok  ok',
  'GET /api/v1/tasks/counts/dashboard':                      '401  ok    ok   ok    ok  ok',
  'GET /api/v1/tasks/counts/weekly':                         '401  ok    ok   ok    ok  ok',
  'GET /api/v1/calendar':                                    '401  ok    ok   ok    ok  ok',
  'GET /api/v1/tasks/export':                                '401  ok    ok   ok    ok  ok',
  'GET /api/v1/tasks/{id}':                                  '401  ok    ok   ok    ok  404',
  'PATCH /api/v1/tasks/{id}':                                '401  ok    403  403   403 403',
  'GET /api/v1/tasks/{id}/events':                           '401  ok    ok   ok    ok  404',
  // The phone's field routes; an observation is sent empty (400 past authorisation, nothing written).
  'GET /api/v1/tasks/nearby':                                '401  ok    ok   ok    ok  ok',
  'GET /api/v1/tasks/checks/nearby':                         '401  ok    ok   403   403 403',
  'POST /api/v1/tasks/{id}/observations':                    '401  ok    ok   403   403 404',
  'POST /api/v1/tasks/{id}/dispatch':                        '401  ok    403  403   403 404',
  'POST /api/v1/tasks/{id}/reassignment':                    '401  ok    403  403   403 404',
  // 签收 (the matrix's app does not require it: the own unit gets past the roles to 409).
  'POST /api/v1/tasks/{id}/acknowledgement':                 '401  403   403  ok    ok  404',
  'POST /api/v1/tasks/{id}/submissions':                     '401  403   403  ok    ok  404',
  'POST /api/v1/tasks/{id}/checks':                          '401  ok    ok   403   403 404',
  'POST /api/v1/tasks/{id}/extension-requests':              '401  403   403  ok    ok  404',
  'POST /api/v1/tasks/{id}/extension-requests/{requestId}/decision':
                                                             '401  ok    403  403   403 404',
  'POST /api/v1/tasks/{id}/disputes':                        '401  403   403  ok    ok  404',
  'POST /api/v1/tasks/{id}/disputes/{disputeId}/decision':   '401  ok    403  403   403 404',
  'POST /api/v1/tasks/{id}/hold':                            '401  ok    403  403   403 404',
  'POST /api/v1/tasks/{id}/resume':                          '401  ok    403  403   403 404',
  'POST /api/v1/tasks/{id}/cancellation':                    '401  ok    403  403   403 404',
  'POST /api/v1/tasks/{id}/duplicate':                       '401  ok    403  403   403 404',
  'POST /api/v1/tasks/{id}/reopen':                          '401  ok    ok   403   403 404',
  'POST /api/v1/tasks/{id}/deadline':                        '401  ok    403  403   403 404',
  'POST /api/v1/inspections':                                '401  ok    ok   403   403 403',
  'GET /api/v1/inspections':                                 '401  ok    ok   ok    ok  ok',
  'GET /api/v1/inspections/{id}':                            '401  ok    ok   ok    ok  404',
  'PATCH /api/v1/inspections/{id}':                          '401  ok    ok   403   403 403',
  'POST /api/v1/inspections/{id}/void':                      '401  ok    403  403   403 403',
  'POST /api/v1/inspections/preview-paragraph':              '401  ok    ok   403   403 403',
  'GET /api/v1/plans':                                       '401  ok    ok   403   403 403',
  'POST /api/v1/plans':                                      '401  ok    403  403   403 403',
  'GET /api/v1/plans/coverage':                              '401  ok    403  403   403 403',
  // No such plan: the office and the inspector get past the roles to 404.
  'GET /api/v1/plans/{id}':                                  '401  404   404  403   403 403',
  'PUT /api/v1/plans/{id}':                                  '401  ok    403  403   403 403',
  'DELETE /api/v1/plans/{id}':                               '401  404   403  403   403 403',
  'GET /api/v1/sites/unvisited':                             '401  ok    403  403   403 403',
  // 点位检查清单: read by those who inspect, edited by the office; a walk sent empty is a 400.
  'GET /api/v1/checklists':                                  '401  ok    ok   403   403 403',
  'POST /api/v1/checklists':                                 '401  ok    403  403   403 403',
  'GET /api/v1/checklists/{id}':                             '401  404   404  403   403 403',
  'POST /api/v1/checklists/{id}/items':                      '401  ok    403  403   403 403',
  'GET /api/v1/checklist-items/{id}':                        '401  404   404  403   403 403',
  'PATCH /api/v1/checklist-items/{id}':                      '401  404   403  403   403 403',
  'DELETE /api/v1/checklist-items/{id}':                     '401  404   403  403   403 403',
  'POST /api/v1/inspections/{id}/checklist-walks':           '401  ok    ok   403   403 403',
  'GET /api/v1/inspections/{id}/checklist-walks':            '401  ok    ok   403   403 403',
  'GET /api/v1/sites/{id}/checklist-walks':                  '401  ok    ok   403   403 403',
  // 一张图: everyone who sees tasks (scoped like the list); grid without a box is a 400.
  'GET /api/v1/map/tasks':                                   '401  ok    ok   ok    ok  ok',
  'GET /api/v1/map/grid':                                    '401  ok    ok   ok    ok  ok',
  'GET /api/v1/map/sites':                                   '401  ok    ok   ok    ok  ok',
  'GET /api/v1/map/config':                                  '401  ok    ok   ok    ok  ok',
  // 消息渠道: the office's; no such channel is a 404 for the office.
  'GET /api/v1/units/{id}/channels':                         '401  ok    403  403   403 403',
  'POST /api/v1/units/{id}/channels':                        '401  ok    403  403   403 403',
  'GET /api/v1/office/channels':                             '401  ok    403  403   403 403',
  'POST /api/v1/office/channels':                            '401  ok    403  403   403 403',
  'PATCH /api/v1/channels/{id}':                             '401  404   403  403   403 403',
  'DELETE /api/v1/channels/{id}':                            '401  404   403  403   403 403',
  'POST /api/v1/channels/{id}/test':                         '401  404   403  403   403 403',
  'GET /api/v1/channels/{id}/deliveries':                    '401  404   403  403   403 403',
  'POST /api/v1/channels/{id}/deliveries/{deliveryId}/retry': '401 404   403  403   403 403',
  'POST /api/v1/attachments':                                '401  ok    ok   ok    ok  ok',
  'GET /api/v1/attachments/{id}':                            '401  ok    ok   ok    ok  404',
  'GET /api/v1/attachments/{id}/meta':                       '401  ok    ok   ok    ok  404',
  'GET /api/v1/notifications':                               '401  ok    ok   ok    403 ok',
  'POST /api/v1/notifications/{id}/read':                    '401  404   404  ok    403 404',
  'POST /api/v1/notifications/read-all':                     '401  ok    ok   ok    403 ok',
  'GET /api/v1/admin/jobs':                                  '401  ok    403  403   403 403',
  'GET /api/v1/admin/webhook-deliveries':                    '401  ok    403  403   403 403',
  // Regression guard: a retry of a delivery that does not exist once answered 202 and queued a
  // job (WebhooksService.revive read TypeORM's `[rows, count]` UPDATE result as the rows).
  'POST /api/v1/admin/webhook-deliveries/{id}/retry':        '401  404   403  403   403 403',
  'GET /api/v1/admin/webhook-deliveries/{id}/attempts':      '401  404   403  403   403 403',
  'POST /api/v1/bulletins':                                  '401  ok    403  403   403 403',
  'GET /api/v1/bulletins':                                   '401  ok    ok   403   403 403',
  'GET /api/v1/bulletins/{id}':                              '401  404   404  403   403 403',
  'PUT /api/v1/bulletins/{id}/paragraphs/{key}':             '401  ok    403  403   403 403',
  'POST /api/v1/bulletins/{id}/publish':                     '401  ok    403  403   403 403',
  'POST /api/v1/bulletins/{id}/regenerate':                  '401  ok    403  403   403 403',
  'POST /api/v1/bulletins/{id}/paragraphs':                  '401  ok    403  403   403 403',
  'DELETE /api/v1/bulletins/{id}/paragraphs/{key}':          '401  ok    403  403   403 403',
  'POST /api/v1/bulletins/{id}/sections':                    '401  ok    403  403   403 403',
  'DELETE /api/v1/bulletins/{id}/sections/{key}':            '401  ok    403  403   403 403',
  'PUT /api/v1/bulletins/{id}/layout':                       '401  ok    403  403   403 403',
  'PUT /api/v1/bulletins/{id}/period':                       '401  ok    403  403   403 403',
  'PUT /api/v1/bulletins/{id}/letterhead':                   '401  ok    403  403   403 403',
  'POST /api/v1/bulletins/{id}/withdrawal':                  '401  ok    403  403   403 403',
  'GET /api/v1/bulletin-settings':                           '401  ok    403  403   403 403',
  'PUT /api/v1/bulletin-settings/next-issue-number':         '401  ok    403  403   403 403',
  'PUT /api/v1/bulletin-settings/letterhead':                '401  ok    403  403   403 403',
  'GET /api/v1/reports/digest':                              '401  ok    ok   403   403 403',
  'GET /api/v1/reports/digest/mine':                         '401  403   403  ok    ok  ok',
  // Stored first, so that the GET below finds the week.
  'POST /api/v1/reports/digests/{weekStart}':                '401  ok    403  403   403 403',
  'GET /api/v1/reports/digests/{weekStart}':                 '401  ok    ok   403   403 403',
  // 信息报送: units send and see their own (unit B: 404), the office adopts and returns.
  'GET /api/v1/info-items/columns':                          '401  ok    403  ok    ok  ok',
  'GET /api/v1/info-items':                                  '401  ok    403  ok    ok  ok',
  'POST /api/v1/info-items':                                 '401  403   403  ok    ok  ok',
  'GET /api/v1/info-items/{id}':                             '401  ok    403  ok    ok  404',
  'PUT /api/v1/info-items/{id}':                             '401  ok    403  ok    ok  404',
  'POST /api/v1/info-items/{id}/withdrawal':                 '401  403   403  ok    ok  404',
  'POST /api/v1/info-items/{id}/resubmission':               '401  403   403  ok    ok  404',
  'POST /api/v1/info-items/{id}/adoption':                   '401  ok    403  403   403 403',
  'POST /api/v1/info-items/{id}/return':                     '401  ok    403  403   403 403',
  // Open311 (errors in the spec's own format, see below): reads scoped like GET /tasks.
  'GET /open311/v2/discovery.{format}':                      '401  ok    ok   ok    ok  ok',
  'GET /open311/v2/services.{format}':                       '401  ok    ok   ok    ok  ok',
  'GET /open311/v2/services/{file}':                         '401  ok    ok   ok    ok  ok',
  'GET /open311/v2/requests.{format}':                       '401  ok    ok   ok    ok  ok',
  'POST /open311/v2/requests.{format}':                      '401  ok    ok   403   403 403',
  'GET /open311/v2/requests/{file}':                         '401  ok    ok   ok    ok  404',
  'GET /open311/v2/servicerequestupdates.{format}':          '401  ok    ok   ok    ok  ok',
};

/** Routes served outside the OpenAPI document. */
const UNDOCUMENTED = ['GET /docs', 'GET /docs-json'];

const STALE = 999_999;
const FUTURE = '2031-06-01T00:00:00.000Z';

function classOf(status: number): string {
  if (status === 401 || status === 403 || status === 404) return String(status);
  if (status < 400 || [400, 409, 415, 422].includes(status)) return 'ok';
  return String(status);
}

describe('authorisation matrix', () => {
  let t: TestApp;
  let w: LoopWorld;
  let doc: { paths: Record<string, Record<string, unknown>> };
  let ids: Record<string, string>;
  let credentials: Record<Caller, Record<string, string>>;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    const photo = await uploadPhoto(t, w.inspector.token);
    const inspector = as(t, w.inspector.token);
    const task = await inspector
      .post('/tasks', {
        categoryId: w.categoryId,
        siteId: w.siteA,
        description: '楼道堆物',
        beforePhotoIds: [photo],
      })
      .expect(201);
    const other = await inspector
      .post('/tasks', { categoryId: w.categoryId, siteId: w.siteA, description: '另一处' })
      .expect(201);
    const inspection = await inspector
      .post('/inspections', {
        kind: 'inspection',
        activity: '督导检查',
        leadPersons: ['王建华'],
        heldOn: '2026-11-20',
        location: '永定镇',
        participatingUnitIds: [w.unitA.unitId],
      })
      .expect(201);
    const admin = as(t, w.admin.token);
    const key = await admin.post('/api-keys', { unitId: w.unitA.unitId, name: '网格平台' });
    const spare = await admin.post('/api-keys', { unitId: w.unitB.unitId, name: '待吊销' });
    const [note] = (await t.ds.query(
      `INSERT INTO notifications (user_id, kind, title, body, task_id, dedupe_key)
       VALUES ($1, 'assigned', '新任务', '新任务', $2, $3) RETURNING id`,
      [w.unitA.id, task.body.id, `authz:${randomUUID()}`],
    )) as { id: string }[];
    const info = await as(t, w.unitA.token)
      .post('/info-items', {
        column: 'civility',
        title: '理论宣讲进社区',
        text: '近日，开展理论宣讲进社区活动。',
        workDate: '2026-11-20',
      })
      .expect(201);
    ids = {
      infoItem: info.body.id,
      task: task.body.id,
      taskNumber: task.body.number,
      otherTask: other.body.id,
      inspection: inspection.body.id,
      photo,
      spareKey: spare.body.id,
      notification: note.id,
    };
    credentials = {
      anon: {},
      admin: { authorization: `Bearer ${w.admin.token}` },
      inspector: { authorization: `Bearer ${w.inspector.token}` },
      unitA: { authorization: `Bearer ${w.unitA.token}` },
      unitKey: { 'x-api-key': key.body.key as string },
      unitB: { authorization: `Bearer ${w.unitB.token}` },
    };
    doc = (await t.http().get('/docs-json').expect(200)).body;
  });
  afterAll(() => t.close());

  /** The concrete path and body for a route: real ids of unit A's world, valid bodies. */
  function request(route: string): { method: string; path: string; body?: object } {
    const [method, template] = route.split(' ');
    const path = template
      .replace('/tasks/{id}', `/tasks/${ids.task}`)
      .replace('/units/{id}', `/units/${w.unitA.unitId}`)
      .replace('/users/{id}', `/users/${w.unitA.id}`)
      .replace('/categories/{id}', `/categories/${w.categoryId}`)
      .replace('/sites/{id}', `/sites/${w.siteA}`)
      .replace('/inspections/{id}', `/inspections/${ids.inspection}`)
      .replace('/attachments/{id}', `/attachments/${ids.photo}`)
      .replace('/api-keys/{id}', `/api-keys/${ids.spareKey}`)
      .replace('/notifications/{id}', `/notifications/${ids.notification}`)
      .replace('/info-items/{id}', `/info-items/${ids.infoItem}`)
      .replace('{weekStart}', '2026-11-09')
      .replace('/services/{file}', '/services/HJ07.json')
      .replace('/requests/{file}', `/requests/${ids.taskNumber}.json`)
      .replace('{format}', 'json')
      .replace('{key}', 'p1')
      .replace(/\{\w+\}/g, () => randomUUID());
    const action = /\/tasks\/[^/]+\/(.+)$/.exec(path)?.[1]?.replace(/[0-9a-f-]{36}/, ':x');
    const v = { version: STALE };
    const bodies: Record<string, object> = {
      dispatch: { ...v, unitId: w.unitB.unitId },
      reassignment: { ...v, unitId: w.unitB.unitId },
      submissions: { ...v, description: '已清理', afterPhotoIds: [ids.photo] },
      checks: { ...v, result: 'pass' },
      'extension-requests': { ...v, requestedDeadline: FUTURE, reason: '需协调产权单位' },
      'extension-requests/:x/decision': { ...v, approve: true },
      disputes: { ...v, reason: '不属于本单位' },
      'disputes/:x/decision': { ...v, uphold: false },
      hold: { ...v, reason: '涉及工程', reviewOn: '2031-01-01' },
      resume: v,
      cancellation: { ...v, reason: '误报' },
      duplicate: { ...v, duplicateOfId: ids.otherTask },
      reopen: { ...v, reason: '反弹' },
      deadline: { ...v, deadline: FUTURE, reason: '调整' },
      acknowledgement: v,
    };
    if (action && bodies[action]) return { method, path, body: bodies[action] };
    // 信息报送: valid bodies with a stale version, so an allowed caller gets 409 and nothing changes.
    const info = /\/info-items\/[0-9a-f-]{36}(\/.+)?$/.exec(path);
    if (info && method !== 'GET') {
      const content = { column: 'civility', title: '标题', text: '正文。', workDate: '2026-11-20' };
      const infoBodies: Record<string, object> = {
        '': { ...v, ...content },
        '/resubmission': { ...v, ...content },
        '/return': { ...v, reason: '请补充人数' },
      };
      return { method, path, body: infoBodies[info[1] ?? ''] ?? v };
    }
    if (route === 'PATCH /api/v1/tasks/{id}')
      return { method, path, body: { ...v, verificationPolicy: 'on_site' } };
    return { method, path, body: method === 'GET' || method === 'DELETE' ? undefined : {} };
  }

  async function send(route: string, who: Caller): Promise<Response> {
    const { method, path, body } = request(route);
    let req = t.http()[method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete'](path);
    for (const [k, val] of Object.entries(credentials[who])) req = req.set(k, val);
    if (path === '/docs') req = req.redirects(1);
    return body === undefined ? req : req.send(body);
  }

  it('has a row for every route of the OpenAPI document, and no row for a route that is gone', () => {
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const rows = Object.keys(MATRIX).filter((r) => !UNDOCUMENTED.includes(r));
    expect({ missingRows: documented.filter((r) => !rows.includes(r)) }).toEqual({
      missingRows: [],
    });
    expect({ staleRows: rows.filter((r) => !documented.includes(r)) }).toEqual({ staleRows: [] });
  });

  it('every caller gets the status class its row says, and every 4xx is a problem body', async () => {
    const mismatches: string[] = [];
    for (const [route, row] of Object.entries(MATRIX)) {
      const expected = row.trim().split(/\s+/);
      for (const [i, who] of CALLERS.entries()) {
        const res = await send(route, who);
        const got = classOf(res.status);
        if (got !== expected[i])
          mismatches.push(
            `${route} as ${who}: expected ${expected[i]}, got ${res.status} ${res.body?.code ?? ''}`,
          );
        // Open311 answers errors as its spec writes them: [{code, description}] with the status.
        const open311Errors =
          route.includes(' /open311/') &&
          Array.isArray(res.body) &&
          (res.body as { code?: number }[])[0]?.code === res.status;
        if (
          res.status >= 400 &&
          !open311Errors &&
          !/^application\/problem\+json/.test(res.headers['content-type'])
        )
          mismatches.push(`${route} as ${who}: ${res.status} without a problem body`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('nothing the matrix sent changed the task or wrote an event beyond its creation', async () => {
    const [row] = await t.ds.query('SELECT status, unit_id, version FROM tasks WHERE id = $1', [
      ids.task,
    ]);
    expect(row).toEqual({ status: 'assigned', unit_id: w.unitA.unitId, version: 1 });
    const events = await t.ds.query('SELECT action FROM task_events WHERE task_id = $1', [
      ids.task,
    ]);
    expect(events).toEqual([{ action: 'create' }]);
  });
});
