import type { TestApp } from './test-app.js';

/** A real 1×1 PNG: uploads are decoded in full, so it must be a valid image, not only a header. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

export interface Actor {
  token: string;
  id: string;
}

export interface LoopWorld {
  admin: Actor;
  inspector: Actor;
  unitA: Actor & { unitId: string };
  unitB: Actor & { unitId: string };
  categoryId: string;
  /** A category whose submissions close without a check. */
  selfCloseCategoryId: string;
  /** Routed to unit A. */
  siteA: string;
  /** No default unit: tasks there wait for dispatch. */
  siteNoUnit: string;
}

/** Two units with a user each, the office, an inspector, categories and sites. */
export async function buildLoopWorld(t: TestApp): Promise<LoopWorld> {
  const unitAEntity = await t.createUnit('东辛房街道');
  const unitBEntity = await t.createUnit('城子街道');
  const [admin, inspector, ua, ub] = await Promise.all([
    t.signIn('admin'),
    t.signIn('inspector'),
    t.signIn('unit', { unitId: unitAEntity.id }),
    t.signIn('unit', { unitId: unitBEntity.id }),
  ]);
  const [cat] = (await t.ds.query(
    `INSERT INTO categories (code, name, group_name, measure_word, deadline_rule) VALUES ('HJ07', '楼道堆物', '市容环境', '处', '{"kind":"work_days","days":3}') RETURNING id`,
  )) as { id: string }[];
  const [selfClose] = (await t.ds.query(
    `INSERT INTO categories (code, name, group_name, measure_word, deadline_rule, verification_policy) VALUES ('GG01', '非法小广告', '宣传广告', '条', '{"kind":"immediate"}', 'self_close') RETURNING id`,
  )) as { id: string }[];
  const [siteA] = (await t.ds.query(
    `INSERT INTO sites (name, kind, address, default_unit_id) VALUES ('西山社区', '社区', '东辛房西山路1号', $1) RETURNING id`,
    [unitAEntity.id],
  )) as { id: string }[];
  const [siteNoUnit] = (await t.ds.query(
    `INSERT INTO sites (name, kind) VALUES ('永定楼公园', '公园广场') RETURNING id`,
  )) as { id: string }[];
  return {
    admin: { token: admin.token, id: admin.user.id },
    inspector: { token: inspector.token, id: inspector.user.id },
    unitA: { token: ua.token, id: ua.user.id, unitId: unitAEntity.id },
    unitB: { token: ub.token, id: ub.user.id, unitId: unitBEntity.id },
    categoryId: cat.id,
    selfCloseCategoryId: selfClose.id,
    siteA: siteA.id,
    siteNoUnit: siteNoUnit.id,
  };
}

/** Uploads a photo as `token` and returns its id. */
export async function uploadPhoto(t: TestApp, token: string): Promise<string> {
  const res = await t
    .http()
    .post('/api/v1/attachments')
    .set('authorization', `Bearer ${token}`)
    .attach('file', PNG_1X1, { filename: 'photo.png', contentType: 'image/png' });
  if (res.status !== 201)
    throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** Request helpers bound to a bearer token. */
export function as(t: TestApp, token: string) {
  return {
    get: (path: string) => t.http().get(`/api/v1${path}`).set('authorization', `Bearer ${token}`),
    post: (path: string, body: object = {}) =>
      t.http().post(`/api/v1${path}`).set('authorization', `Bearer ${token}`).send(body),
    patch: (path: string, body: object = {}) =>
      t.http().patch(`/api/v1${path}`).set('authorization', `Bearer ${token}`).send(body),
  };
}
