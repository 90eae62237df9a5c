import { Ajv } from 'ajv';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_CSP } from '../src/web/console-static.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

// The GeoJSON schema published by the GeoJSON working group (geojson.org/schema), draft-07.
const require = createRequire(import.meta.url);
const ajv = new Ajv({ allErrors: true, strict: false });
const isFeatureCollection = ajv.compile(
  require('geojson-schema/FeatureCollection.json') as Record<string, unknown>,
);
function expectGeoJson(body: unknown): void {
  const ok = isFeatureCollection(body);
  expect(ok ? [] : isFeatureCollection.errors).toEqual([]);
}

interface Feature {
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: Record<string, unknown>;
}
const ids = (fs: Feature[]): string[] => fs.map((f) => f.id).sort();

describe('一张图: tasks and sites as GeoJSON, grid counts', () => {
  let t: TestApp;
  let w: LoopWorld;
  let siteB: string;
  /** name → task id */
  const task: Record<string, string> = {};

  const create = async (
    name: string,
    body: { siteId?: string; lat?: number; lng?: number; description?: string },
  ): Promise<void> => {
    const res = await as(t, w.inspector.token).post('/tasks', {
      categoryId: w.categoryId,
      description: body.description ?? `楼道堆物 ${name}`,
      ...body,
    });
    expect(res.status).toBe(201);
    task[name] = res.body.id as string;
  };

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    const [b] = (await t.ds.query(
      `INSERT INTO sites (name, kind, default_unit_id, lat, lng) VALUES ('城子社区', '社区', $1, 39.95, 116.10) RETURNING id`,
      [w.unitB.unitId],
    )) as { id: string }[];
    siteB = b.id;
    // Unit A's work around (39.90, 116.40); unit B's around (39.95, 116.10).
    await create('a1', { siteId: w.siteA, lat: 39.9, lng: 116.4 });
    await create('a2', { siteId: w.siteA, lat: 39.901, lng: 116.402 });
    await create('aLate', { siteId: w.siteA, lat: 39.902, lng: 116.404, description: '超期未改' });
    await create('aClosedRecently', { siteId: w.siteA, lat: 39.903, lng: 116.401 });
    await create('aClosedLongAgo', { siteId: w.siteA, lat: 39.904, lng: 116.401 });
    await create('aCancelled', { siteId: w.siteA, lat: 39.905, lng: 116.401 });
    await create('aNowhere', { siteId: w.siteNoUnit });
    await create('b1', { siteId: siteB, lat: 39.95, lng: 116.1 });
    await create('bSite', { siteId: siteB });
    // A task logged before its site had a position: it shows at the site's position later.
    await t.ds.query(`UPDATE tasks SET lat = NULL, lng = NULL WHERE id = $1`, [task.bSite]);
    await t.ds.query(
      `UPDATE tasks SET assigned_at = now() - interval '10 days', deadline = now() - interval '1 day' WHERE id = $1`,
      [task.aLate],
    );
    await t.ds.query(
      `UPDATE tasks SET status = 'closed', closed_at = now() - interval '3 days', closed_on_time = true WHERE id = $1`,
      [task.aClosedRecently],
    );
    await t.ds.query(
      `UPDATE tasks SET status = 'closed', closed_at = now() - interval '60 days', closed_on_time = true WHERE id = $1`,
      [task.aClosedLongAgo],
    );
    await t.ds.query(`UPDATE tasks SET status = 'cancelled' WHERE id = $1`, [task.aCancelled]);
  });
  afterAll(() => t.close());

  const mapTasks = async (token: string, query = ''): Promise<Feature[]> => {
    const res = await as(t, token).get(`/map/tasks${query}`);
    expect(res.status).toBe(200);
    expectGeoJson(res.body);
    return res.body.features as Feature[];
  };

  it('puts open and recently closed tasks on the map as valid GeoJSON, with light and unit', async () => {
    const res = await as(t, w.admin.token).get('/map/tasks').expect(200);
    expectGeoJson(res.body);
    expect(res.body.truncated).toBe(false);
    const features = res.body.features as Feature[];
    expect(ids(features)).toEqual(
      ids(
        ['a1', 'a2', 'aLate', 'aClosedRecently', 'b1', 'bSite'].map((n) => ({
          id: task[n],
        })) as Feature[],
      ),
    );
    const byId = new Map(features.map((f) => [f.id, f]));
    expect(byId.get(task.a1)).toMatchObject({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [116.4, 39.9] },
      properties: {
        id: task.a1,
        status: 'assigned',
        statusLabel: '整改中',
        light: 'green',
        escalation: 'none',
        categoryCode: 'HJ07',
        categoryName: '楼道堆物',
        unitId: w.unitA.unitId,
        unitName: '东辛房街道',
        siteName: '西山社区',
        positionFrom: 'task',
        closedAt: null,
      },
    });
    const [row] = (await t.ds.query(`SELECT number, deadline FROM tasks WHERE id = $1`, [
      task.a1,
    ])) as { number: string; deadline: Date }[];
    expect(byId.get(task.a1)?.properties.number).toBe(row.number);
    expect(byId.get(task.a1)?.properties.deadline).toBe(row.deadline.toISOString());
    expect(byId.get(task.aLate)?.properties).toMatchObject({ light: 'red', overdue: true });
    expect(byId.get(task.aClosedRecently)?.properties).toMatchObject({
      status: 'closed',
      light: null,
      escalation: null,
    });
    // No position of its own: its site's.
    expect(byId.get(task.bSite)).toMatchObject({
      geometry: { coordinates: [116.1, 39.95] },
      properties: { positionFrom: 'site', unitId: w.unitB.unitId },
    });
  });

  it('shows closed tasks for closedWithinDays days', async () => {
    const open = ['a1', 'a2', 'aLate', 'b1', 'bSite'].map((n) => task[n]);
    expect(ids(await mapTasks(w.admin.token, '?closedWithinDays=0'))).toEqual([...open].sort());
    expect(ids(await mapTasks(w.admin.token, '?closedWithinDays=90'))).toEqual(
      [...open, task.aClosedRecently, task.aClosedLongAgo].sort(),
    );
  });

  it('scopes like the list: a unit sees its own, another unit filter gives nothing', async () => {
    const a = await mapTasks(w.unitA.token);
    expect(ids(a)).toEqual(['a1', 'a2', 'aLate', 'aClosedRecently'].map((n) => task[n]).sort());
    expect(a.every((f) => f.properties.unitId === w.unitA.unitId)).toBe(true);
    expect(await mapTasks(w.unitA.token, `?unitId=${w.unitB.unitId}`)).toEqual([]);
    expect(ids(await mapTasks(w.unitB.token))).toEqual([task.b1, task.bSite].sort());
    const grid = await as(t, w.unitB.token).get('/map/grid?bbox=116,39.8,116.5,40').expect(200);
    expect(grid.body.total).toBe(2);
  });

  it('filters exactly as the task list does (the same query, the same tasks)', async () => {
    const queries = [
      'status=assigned',
      'status=assigned,closed',
      `unitId=${w.unitA.unitId}`,
      'categoryId=HJ07',
      'overdue=true',
      'overdue=false&status=assigned',
      'q=超期',
      'escalation=reminder',
    ];
    for (const token of [w.admin.token, w.unitA.token]) {
      for (const query of queries) {
        const list = await as(t, token).get(`/tasks?${query}&limit=200`).expect(200);
        // The map shows what is open or closed recently, with a position: the list less those.
        const offMap = [task.aNowhere, task.aClosedLongAgo, task.aCancelled];
        const listed = (list.body.items as { id: string; status: string }[])
          .filter((x) => !offMap.includes(x.id))
          .map((x) => x.id)
          .sort();
        const mapped = ids(await mapTasks(token, `?${query}`));
        expect({ query, ids: mapped }).toEqual({ query, ids: listed });
      }
    }
    expect(ids(await mapTasks(w.admin.token, '?overdue=true'))).toEqual([task.aLate]);
  });

  it('keeps to the box, and the grid counts add up to what the map shows', async () => {
    const boxA = '116.39,39.89,116.41,39.91';
    expect(ids(await mapTasks(w.admin.token, `?bbox=${boxA}`))).toEqual(
      ['a1', 'a2', 'aLate', 'aClosedRecently'].map((n) => task[n]).sort(),
    );
    const whole = '115,39,117,41';
    for (const query of ['', '&status=assigned', '&overdue=true', `&unitId=${w.unitB.unitId}`]) {
      const shown = await mapTasks(w.admin.token, `?bbox=${whole}${query}`);
      const grid = await as(t, w.admin.token)
        .get(`/map/grid?bbox=${whole}&cell=0.01${query}`)
        .expect(200);
      const cells = grid.body.cells as { lng: number; lat: number; n: number }[];
      expect({ query, total: grid.body.total }).toEqual({ query, total: shown.length });
      expect(cells.reduce((a, c) => a + c.n, 0)).toBe(shown.length);
      // Every task lies in the cell the grid counts it in.
      for (const f of shown) {
        const [lng, lat] = f.geometry.coordinates;
        const cell = cells.find(
          (c) => Math.abs(c.lng - lng) <= 0.005 + 1e-9 && Math.abs(c.lat - lat) <= 0.005 + 1e-9,
        );
        expect(cell).toBeDefined();
      }
    }
    const coarse = await as(t, w.admin.token).get(`/map/grid?bbox=${whole}&cell=1`).expect(200);
    expect(coarse.body).toEqual({ cell: 1, total: 6, cells: [{ lng: 116.5, lat: 39.5, n: 6 }] });
  });

  it('caps the features and says so', async () => {
    const res = await as(t, w.admin.token).get('/map/tasks?limit=2').expect(200);
    expectGeoJson(res.body);
    expect(res.body).toMatchObject({ truncated: true, limit: 2 });
    expect(res.body.features).toHaveLength(2);
    // The most urgent deadline first: the overdue task leads.
    expect(res.body.features[0].id).toBe(task.aLate);
  });

  it('refuses a bad box, cell or limit with a 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['/map/tasks?bbox=1,2,3', 'bbox'],
      ['/map/tasks?bbox=a,b,c,d', 'bbox'],
      ['/map/tasks?bbox=116.5,39,116.4,40', 'bbox'],
      ['/map/tasks?bbox=181,0,182,1', 'bbox'],
      ['/map/tasks?bbox=0,-91,1,1', 'bbox'],
      ['/map/tasks?bbox=1e3,0,1,1', 'bbox'],
      ['/map/sites?bbox=1,1,1', 'bbox'],
      ['/map/grid', 'bbox'],
      ['/map/grid?bbox=0,0,10,10&cell=0.001', 'cell'],
      ['/map/grid?bbox=0,0,10,10&cell=x', 'cell'],
      ['/map/tasks?limit=0', 'limit'],
      ['/map/tasks?limit=5001', 'limit'],
      ['/map/tasks?closedWithinDays=-1', 'closedWithinDays'],
      ['/map/tasks?status=lost', 'status'],
    ];
    for (const [path, field] of cases) {
      const res = await as(t, w.admin.token).get(path);
      expect({ path, status: res.status, code: res.body.code }).toEqual({
        path,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect({
        path,
        fields: [...new Set((res.body.errors as { field: string }[]).map((e) => e.field))],
      }).toEqual({ path, fields: [field] });
    }
    await t.http().get('/api/v1/map/tasks').expect(401);
  });

  it('gives the positioned sites with the open tasks the caller may see', async () => {
    const site = async (token: string) => {
      const res = await as(t, token).get('/map/sites').expect(200);
      expectGeoJson(res.body);
      return new Map((res.body.features as Feature[]).map((f) => [f.id, f] as [string, Feature]));
    };
    const admin = await site(w.admin.token);
    // 西山社区 and 永定楼公园 have no position: not on the map.
    expect([...admin.keys()]).toEqual([siteB]);
    expect(admin.get(siteB)).toMatchObject({
      geometry: { type: 'Point', coordinates: [116.1, 39.95] },
      properties: { name: '城子社区', kind: '社区', defaultUnitId: w.unitB.unitId, openTasks: 2 },
    });
    await t.ds.query(`UPDATE sites SET lat = 39.9, lng = 116.4 WHERE id = $1`, [w.siteA]);
    const [{ n }] = (await t.ds.query(
      `SELECT count(*)::int AS n FROM tasks WHERE site_id = $1 AND status IN ('pending_dispatch','assigned','submitted','on_hold')`,
      [w.siteA],
    )) as { n: number }[];
    expect((await site(w.admin.token)).get(w.siteA)?.properties.openTasks).toBe(n);
    expect((await site(w.unitA.token)).get(w.siteA)?.properties.openTasks).toBe(n);
    expect((await site(w.unitB.token)).get(w.siteA)?.properties.openTasks).toBe(0);
    expect((await site(w.unitA.token)).get(siteB)?.properties.openTasks).toBe(0);
    const boxed = await as(t, w.admin.token).get('/map/sites?bbox=116.3,39.8,116.5,40').expect(200);
    expect((boxed.body.features as Feature[]).map((f) => f.id)).toEqual([w.siteA]);
  });

  it('has no tiles unless configured', async () => {
    const res = await as(t, w.unitA.token).get('/map/config').expect(200);
    expect(res.body).toEqual({ tiles: [], closedWithinDays: 30 });
  });
});

describe('一张图 with 天地图 configured: tiles and the console CSP', () => {
  let t: TestApp;
  const webRoot = mkdtempSync(join(tmpdir(), 'cc-web-'));
  const savedRoot = process.env.WEB_ROOT;
  beforeAll(async () => {
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>console</title>');
    process.env.WEB_ROOT = webRoot;
    t = await createTestApp({ TIANDITU_KEY: 'abcdef0123456789' });
  });
  afterAll(async () => {
    if (savedRoot === undefined) delete process.env.WEB_ROOT;
    else process.env.WEB_ROOT = savedRoot;
    await t.close();
  });

  it("gives 天地图's two layers and allows exactly their hosts in img-src", async () => {
    const { token } = await t.signIn('admin');
    const res = await as(t, token).get('/map/config').expect(200);
    const tiles = res.body.tiles as { url: string; subdomains: string[]; kind: string }[];
    expect(tiles.map((l) => l.kind)).toEqual(['base', 'labels']);
    expect(tiles[0].url).toMatch(
      /^https:\/\/t\{s\}\.tianditu\.gov\.cn\/vec_w\/wmts\?.*tk=abcdef0123456789/,
    );
    expect(tiles[1].url).toMatch(/^https:\/\/t\{s\}\.tianditu\.gov\.cn\/cva_w\/wmts\?/);
    expect(tiles[0].subdomains).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);

    const page = await t.http().get('/tasks').set('accept', 'text/html').expect(200);
    const csp = String(page.headers['content-security-policy']);
    const hosts = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `https://t${i}.tianditu.gov.cn`);
    const directives = (s: string) => new Map(s.split('; ').map((d) => [d.split(' ')[0], d]));
    const got = directives(csp);
    const strict = directives(CONSOLE_CSP);
    expect(got.get('img-src')).toBe(`img-src 'self' blob: data: ${hosts.join(' ')}`);
    // Nothing else is loosened.
    for (const [name, directive] of strict) {
      if (name !== 'img-src') expect(got.get(name)).toBe(directive);
    }
    expect([...got.keys()]).toEqual([...strict.keys()]);
  });
});
