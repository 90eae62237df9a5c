import type { Response } from 'supertest';
import { createTestApp, type TestApp } from './support/test-app.js';
import { as, buildLoopWorld, PNG_1X1, uploadPhoto, type LoopWorld } from './support/fixtures.js';

/**
 * Hostile input, driven by the OpenAPI document the app serves: every operation gets wrong
 * types, missing and unknown fields, huge and strange strings, extreme numbers, invalid ids and
 * query parameters. Never a 5xx, every 4xx a problem body, and the database unchanged.
 *
 * Deterministic: a fixed seed chooses the values and the sample; the request count is capped.
 * Bodies are invalid by construction: a mutation the schema forbids outright (wrong type,
 * missing required field, unknown field, bad enum or format, number below its minimum) or, for
 * values that might be legal (long or odd strings, big numbers), the same plus an unknown field,
 * which the global ValidationPipe always refuses. Legal-but-hostile values that reach the
 * database are tried one by one in test/hostile-values.e2e-spec.ts.
 */

const SEED = 0x5eed_cc06;
const MAX_REQUESTS = 1500;

// ---- a tiny seeded generator --------------------------------------------------------------

/** mulberry32: small, fast, and the same sequence on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(SEED);
const hex = (n: number): string =>
  Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
/** A well-formed UUID that names nothing. */
const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
function shuffled<T>(xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
/** Percent-encodes like encodeURIComponent, also a lone surrogate (as U+FFFD's bytes). */
const enc = (v: string): string =>
  [...Buffer.from(v, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.!~*'()]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
/** Bytes that are not UTF-8 (a lone surrogate, an overlong '/'), sent as they are. */
const BAD_UTF8 = ['%ED%A0%80', '%C0%AF', '%FF%FE'];
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');

// ---- the OpenAPI document, as much of it as the generator reads ---------------------------

interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  $ref?: string;
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  security?: unknown[];
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

// ---- values -------------------------------------------------------------------------------

const HUGE = 'å'.repeat(100_000);
const UNICODE = [
  '😀🏳️‍🌈👨‍👩‍👧‍👦',
  '\u202eevil\u202c עברית العربية',
  'nul\u0000byte',
  'e\u0301\u0301\u0301\u0301 Z̸̢̛͓a̴l̵g̶o',
  '\ud800 lone surrogate',
  '\ufeff\u200b\u2028\u2029',
];
const INJECTION = [
  "' OR 1=1 --",
  "'; DROP TABLE tasks; --",
  '../../etc/passwd',
  '%00',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '{{7*7}}',
];
const BAD_IDS = [
  'x',
  '../../etc/passwd',
  "' OR 1=1 --",
  'ffffffff-ffff-ffff-ffff-fffffffffffff',
  '00000000-0000-0000-0000-00000000000g',
  '{00000000-0000-0000-0000-000000000000}',
  '-1',
  '😀',
  'a'.repeat(99),
];
const CURSORS = [
  'x',
  '%%%',
  'a'.repeat(600),
  b64({}),
  b64([]),
  b64(['x']),
  b64(['x', 'x']),
  b64(['2026-01-01T00:00:00.000Z', 'x']),
  b64([1, 'x']),
  b64(['x', 1]),
  b64([null, null]),
  b64(["' OR 1=1 --", "' OR 1=1 --"]),
  b64(['9999999999999999999999', 'zz']),
  b64(['2026-01-01', '00000000-0000-0000-0000-000000000000']),
  b64([-1e308, 'x']),
  b64(['x', 'x', 'x']),
];

/** A plausible value for a schema: the starting point that mutations break. */
function plausible(doc: OpenApiDocument, s: Schema, name = '', depth = 0): unknown {
  const r = resolve(doc, s);
  if (r.enum?.length) return r.enum[0];
  if (r.properties) {
    const o: Record<string, unknown> = {};
    if (depth < 3)
      for (const p of r.required ?? []) o[p] = plausible(doc, r.properties[p], p, depth + 1);
    return o;
  }
  switch (r.type) {
    case 'integer':
    case 'number':
      return r.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return r.items ? [plausible(doc, r.items, name, depth + 1)] : [];
    default:
      if (r.format === 'uuid') return uuid();
      if (r.format === 'date-time') return '2030-01-01T00:00:00.000Z';
      if (/On$|^from$|^to$/.test(name)) return '2030-01-01';
      return 'fuzz';
  }
}

function resolve(doc: OpenApiDocument, s: Schema): Schema {
  if (s.$ref) return resolve(doc, doc.components.schemas[s.$ref.split('/').pop() as string]);
  if (s.allOf?.length === 1) return resolve(doc, s.allOf[0]);
  return s;
}

/** Values the schema forbids outright for a property of this shape. */
function forbidden(doc: OpenApiDocument, s: Schema): unknown[] {
  const r = resolve(doc, s);
  const out: unknown[] = [];
  if (r.enum?.length) out.push('not-in-enum', 12345, '');
  if (r.properties) return [...out, 'x', 12345, []];
  switch (r.type) {
    case 'integer':
    case 'number':
      out.push('12', true, {}, []);
      if (r.minimum !== undefined) out.push(r.minimum - 1, -1e18);
      if (r.maximum !== undefined) out.push(r.maximum + 1);
      return out;
    case 'boolean':
      return [...out, 'true', 1, {}];
    case 'array':
      return [...out, 'x', {}, 1, [12345]];
    default:
      out.push(12345, true, {}, ['x']);
      if (r.format === 'uuid') out.push(...BAD_IDS.slice(0, 6));
      if (r.format === 'date-time') out.push('yesterday', '2026-13-01T00:00:00Z', '1e10');
      return out;
  }
}

/** Values that may be legal: sent only with an unknown field beside them. */
function doubtful(doc: OpenApiDocument, s: Schema): unknown[] {
  const r = resolve(doc, s);
  if (r.type === 'integer' || r.type === 'number')
    return [1.5, 1e308, -0, 2 ** 53 + 1, -2147483649];
  if (r.type === 'string' && !r.enum) return [HUGE, ...UNICODE, ...INJECTION];
  return [];
}

// ---- cases --------------------------------------------------------------------------------

type Body =
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; contentType: string; data: string }
  | { kind: 'multipart'; field: string; data: Buffer; filename: string; contentType: string };

interface Case {
  op: string;
  method: string;
  url: string;
  label: string;
  body?: Body;
  headers?: Record<string, string>;
  /** The request is invalid by construction: a 2xx is a finding. */
  mustReject: boolean;
}

const POISON = '__fuzzUnknownField';
const jwtPart = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const FORGED: Record<string, string>[] = [
  { authorization: 'Bearer x' },
  { authorization: `Bearer cck_${'a'.repeat(40)}` },
  { authorization: 'Basic YWRtaW46YWRtaW4=' },
  {
    authorization: `Bearer ${jwtPart({ alg: 'none', typ: 'JWT' })}.${jwtPart({ sub: '00000000-0000-0000-0000-000000000000', role: 'admin' })}.`,
  },
  { authorization: `Bearer ${'a'.repeat(8000)}` },
  { authorization: 'Bearer' },
  { 'x-api-key': "' OR 1=1 --" },
  { 'x-api-key': 'cck_../../etc/passwd' },
];
const RAW_BODIES = ['[]', '"str"', '123', 'null', '{"a":', '{"a":1}{"b":2}', '{"limit":1e400}'];

interface Ids {
  /** Real ids per path prefix, so validation runs against a real target. */
  real: (path: string, param: string) => string;
}

const json = (value: unknown): Body => ({ kind: 'json', value });
const raw = (contentType: string, data: string): Body => ({ kind: 'raw', contentType, data });
const file = (field: string, data: Buffer, filename: string, contentType: string): Body => ({
  kind: 'multipart',
  field,
  data,
  filename,
  contentType,
});

function buildCases(doc: OpenApiDocument, ids: Ids): Case[] {
  const all: Case[] = [];
  // Per operation: a seeded sample within the budget, after 2 forged-credential, 2 anonymous
  // and 2 unit-role requests each.
  const operations = Object.values(doc.paths).reduce((n, p) => n + Object.keys(p).length, 0);
  const perOperation = Math.floor(MAX_REQUESTS / operations) - 6;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const key = `${method.toUpperCase()} ${path}`;
      const params = op.parameters ?? [];
      /** The path with real ids (or, with `realIds` false, ids that name nothing). */
      const at = (over: Record<string, string> = {}, realIds = true): string =>
        path.replace(/\{(\w+)\}/g, (_, n: string) =>
          n in over ? over[n] : realIds ? ids.real(path, n) : uuid(),
        );
      const cases: Case[] = [];
      const add = (
        mustReject: boolean,
        url: string,
        label: string,
        body?: Body,
        headers?: Record<string, string>,
      ): void => {
        cases.push({ op: key, method, url, label, body, headers, mustReject });
      };
      const reject = (
        url: string,
        label: string,
        body?: Body,
        headers?: Record<string, string>,
      ): void => add(true, url, label, body, headers);
      const probe = (url: string, label: string): void => add(false, url, label);

      for (const p of params.filter((x) => x.in === 'path').map((x) => x.name)) {
        for (const bad of BAD_IDS)
          reject(at({ [p]: encodeURIComponent(bad) }, false), `${p}=${bad.slice(0, 20)}`);
        reject(at({ [p]: '..%2F..%2F..%2Fetc%2Fpasswd' }, false), `${p} encoded traversal`);
        reject(at({ [p]: '%00' }, false), `${p}=NUL`);
      }

      // Query parameters: GETs change nothing, so legal-but-odd values go as they are.
      for (const q of params.filter((x) => x.in === 'query')) {
        const values =
          q.name === 'cursor'
            ? CURSORS
            : [...forbidden(doc, q.schema ?? {}), ...doubtful(doc, q.schema ?? {})]
                .filter((v) => typeof v !== 'object' || v === null)
                .map((v) => (v === HUGE ? 'å'.repeat(1000) : String(v)));
        for (const v of values)
          probe(`${at()}?${q.name}=${enc(v)}`, `?${q.name}=${v.slice(0, 24)}`);
        for (const bytes of BAD_UTF8) probe(`${at()}?${q.name}=${bytes}`, `?${q.name}=${bytes}`);
        probe(`${at()}?${q.name}=1&${q.name}=2`, `?${q.name} twice`);
      }
      if (method === 'get') {
        probe(`${at()}?${POISON}=1`, 'unknown query parameter');
        probe(`${at()}?limit[$gt]=1`, 'query object syntax');
      }

      const schemaRef = op.requestBody?.content['application/json']?.schema;
      if (schemaRef) {
        const schema = resolve(doc, schemaRef);
        const base = plausible(doc, schema) as Record<string, unknown>;
        for (const r of schema.required ?? []) {
          const { [r]: _gone, ...rest } = base;
          reject(at(), `missing ${r}`, json(rest));
          // A required field that may be null (`url: null` removes a webhook) takes null.
          if (!(schema.properties?.[r] as { nullable?: boolean } | undefined)?.nullable)
            reject(at(), `${r}=null`, json({ ...base, [r]: null }));
        }
        for (const [name, ps] of Object.entries(schema.properties ?? {})) {
          for (const v of forbidden(doc, ps))
            reject(at(), `${name}=${JSON.stringify(v).slice(0, 30)}`, json({ ...base, [name]: v }));
          for (const v of doubtful(doc, ps))
            reject(
              at(),
              `${name}~${JSON.stringify(v).slice(0, 30)} +unknown`,
              json({ ...base, [name]: v, [POISON]: 1 }),
            );
        }
        reject(at(), 'unknown field', json({ ...base, [POISON]: 1 }));
        reject(
          at(),
          'unknown isAdmin',
          json({ ...base, role: 'admin', isAdmin: true, [POISON]: true }),
        );
        const fields = JSON.stringify(base).slice(1, -1);
        const sep = fields ? ',' : '';
        reject(
          at(),
          '__proto__',
          raw('application/json', `{${fields}${sep}"__proto__":{"isAdmin":true}}`),
        );
        reject(
          at(),
          'constructor.prototype',
          raw('application/json', `{${fields}${sep}"constructor":{"prototype":{"isAdmin":true}}}`),
        );
        // Whole-body shapes go to ids that name nothing: a `null` body may count as `{}`. Where
        // the path has no id (POST /bulletins: every field optional) such a legal body would
        // create something, so it is not sent there.
        const hasId = /\{\w+\}/.test(path);
        for (const data of RAW_BODIES) {
          const mustReject = !!schema.required?.length || data !== 'null';
          if (mustReject || hasId)
            add(mustReject, at({}, false), `body ${data}`, raw('application/json', data));
        }
        if (hasId) add(false, at({}, false), 'empty json body', raw('application/json', ''));
        reject(at({}, false), 'text/plain body', raw('text/plain', JSON.stringify(base)));
        reject(at({}, false), 'xml body', raw('application/xml', '<a/>'));
        reject(at(), 'form body', raw('application/x-www-form-urlencoded', 'a=1&__proto__[x]=1'));
      }
      if (op.requestBody?.content['multipart/form-data']) {
        reject(at(), 'text as png', file('file', Buffer.from('hello'), 'a.png', 'image/png'));
        reject(at(), 'empty file', file('file', Buffer.alloc(0), 'a.png', 'image/png'));
        reject(at(), 'png under another field', file('photo', PNG_1X1, 'a.png', 'image/png'));
        reject(
          at(),
          'html as jpeg',
          file('file', Buffer.from('<html><script>alert(1)</script>'), '../../x.jpg', 'image/jpeg'),
        );
        reject(
          at(),
          'svg',
          file(
            'file',
            Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
            'a.svg',
            'image/svg+xml',
          ),
        );
        reject(
          at(),
          'exe named ../../etc/passwd',
          file('file', Buffer.from('MZ\x90\x00'), '../../etc/passwd', 'application/octet-stream'),
        );
        for (const data of RAW_BODIES.slice(0, 3))
          reject(at(), `json ${data}`, raw('application/json', data));
        reject(at(), 'multipart without boundary', raw('multipart/form-data', 'xx'));
      }
      const header = (name: string): boolean =>
        params.some((p) => p.in === 'header' && p.name.toLowerCase() === name);
      if (header('if-match'))
        for (const h of ['abc', '"-1"', '"99999999999999"', 'W/"x"', '*'])
          reject(at({}, false), `If-Match ${h}`, schemaRef ? json({}) : undefined, {
            'if-match': h,
          });
      if (header('idempotency-key'))
        for (const h of ['short', 'a b c d e f g h', 'x'.repeat(101), "' OR 1=1 --xx"])
          reject(at(), `Idempotency-Key ${h.slice(0, 12)}`, json({ [POISON]: 1 }), {
            'idempotency-key': h,
          });

      all.push(...shuffled(cases).slice(0, perOperation));
      // Forged credentials: always sent, whatever the sample took.
      for (const h of shuffled(FORGED).slice(0, 2))
        all.push({
          op: key,
          method,
          url: at({}, false),
          label: `forged ${Object.values(h)[0].slice(0, 24)}`,
          headers: h,
          mustReject: !!op.security?.length,
        });
    }
  }
  return all;
}

// ---- sending and judging ------------------------------------------------------------------

function send(t: TestApp, c: Case, auth: Record<string, string>): Promise<Response> {
  const method = c.method as 'get' | 'post' | 'patch' | 'delete' | 'put';
  let req = t.http()[method](c.url);
  for (const [k, v] of Object.entries({ ...auth, ...c.headers })) req = req.set(k, v);
  const b = c.body;
  if (!b) return req;
  if (b.kind === 'json')
    return req.set('content-type', 'application/json').send(JSON.stringify(b.value));
  if (b.kind === 'raw') return req.set('content-type', b.contentType).send(b.data);
  return req.attach(b.field, b.data, { filename: b.filename, contentType: b.contentType });
}

/** Open311 errors are the spec's own: `[{code, description}]` or `<errors><error>`, code = status. */
function open311Error(res: Response): string | null {
  const type = String(res.headers['content-type'] ?? '');
  const ok = type.startsWith('text/xml')
    ? res.text.includes('<errors>') && res.text.includes(`<code>${res.status}</code>`)
    : Array.isArray(res.body) && (res.body as { code?: number }[])[0]?.code === res.status;
  return ok ? null : `${res.status} without Open311 errors: ${res.text.slice(0, 200)}`;
}

/** What is wrong with a response, or null when it is acceptable. */
function judge(c: Case, res: Response): string | null {
  if (res.status >= 500) return `${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
  if (res.status >= 400 && c.url.startsWith('/open311/')) return open311Error(res);
  if (res.status >= 400) {
    const type = String(res.headers['content-type'] ?? '');
    if (!type.startsWith('application/problem+json'))
      return `${res.status} with content-type ${type}: ${res.text.slice(0, 200)}`;
    if (typeof res.body.code !== 'string' || res.body.status !== res.status)
      return `${res.status} problem body without code/status: ${res.text.slice(0, 200)}`;
    return null;
  }
  if (c.mustReject) return `accepted an invalid request: ${res.status} ${res.text.slice(0, 200)}`;
  return null;
}

/** Row count and a content hash of every table (minus columns that reads touch). */
async function snapshot(t: TestApp): Promise<Record<string, string>> {
  const tables = (await t.ds.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  )) as { table_name: string }[];
  const out: Record<string, string> = {};
  for (const { table_name: name } of tables) {
    const [row] = (await t.ds.query(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(j, '|' ORDER BY j), '')) AS h
         FROM (SELECT (to_jsonb(x) - 'last_used_at' - 'last_login_at')::text AS j FROM "${name}" x) s`,
    )) as { n: number; h: string }[];
    out[name] = `${row.n}:${row.h}`;
  }
  return out;
}

/** The snapshot once background work (outbox, notifications) has stopped changing it. */
/**
 * The database once background work is done: every outbox row processed by its consumer (the
 * relay polls every OUTBOX_POLL_MS, so a quiet moment alone proves nothing) and nothing changing.
 */
async function settledSnapshot(t: TestApp): Promise<Record<string, string>> {
  let last = await snapshot(t);
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const [{ n }] = (await t.ds.query(
      'SELECT count(*)::int AS n FROM outbox WHERE processed_at IS NULL',
    )) as { n: number }[];
    const next = await snapshot(t);
    if (n === 0 && JSON.stringify(next) === JSON.stringify(last)) return next;
    last = next;
  }
  throw new Error('the database never settled');
}

describe('hostile input from the OpenAPI document', () => {
  let t: TestApp;
  let w: LoopWorld;
  let doc: OpenApiDocument;
  let real: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    const photo = await uploadPhoto(t, w.unitA.token);
    const task = await as(t, w.inspector.token)
      .post('/tasks', { categoryId: w.categoryId, siteId: w.siteA, description: '楼道堆物' })
      .expect(201);
    const inspection = await as(t, w.inspector.token)
      .post('/inspections', {
        kind: 'inspection',
        activity: '督导检查',
        leadPersons: ['王建华'],
        heldOn: '2026-11-20',
        location: '永定镇',
      })
      .expect(201);
    const key = await as(t, w.admin.token)
      .post('/api-keys', { unitId: w.unitA.unitId, name: 'fuzz' })
      .expect(201);
    real = {
      tasks: task.body.id,
      units: w.unitA.unitId,
      users: w.unitA.id,
      categories: w.categoryId,
      sites: w.siteA,
      inspections: inspection.body.id,
      attachments: photo,
      'api-keys': key.body.id,
    };
    doc = (await t.http().get('/docs-json').expect(200)).body as OpenApiDocument;
  });
  afterAll(() => t.close());

  it('never answers 5xx, always a problem body, and changes nothing', async () => {
    const cases = buildCases(doc, {
      real: (path, param) => {
        const resource = path.split('/')[3];
        return param === 'id' && real[resource] ? real[resource] : uuid();
      },
    });
    const admin = { authorization: `Bearer ${w.admin.token}` };
    const unit = { authorization: `Bearer ${w.unitA.token}` };
    const runs: { c: Case; auth: Record<string, string>; who: string }[] = cases.map((c) => ({
      c,
      auth: admin,
      who: 'admin',
    }));
    const byOp = new Map<string, Case[]>();
    for (const c of cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);
    for (const list of byOp.values()) {
      for (const c of list.slice(0, 2)) runs.push({ c, auth: {}, who: 'anonymous' });
      for (const c of list.slice(2, 4)) runs.push({ c, auth: unit, who: 'unit' });
    }
    expect(byOp.size).toBe(Object.values(doc.paths).reduce((n, p) => n + Object.keys(p).length, 0));
    expect(runs.length).toBeLessThanOrEqual(MAX_REQUESTS);
    expect(runs.length).toBeGreaterThan(500);

    const before = await settledSnapshot(t);
    const failures: string[] = [];
    for (const { c, auth, who } of runs) {
      const res = await send(t, c, auth);
      const wrong = judge(c, res);
      if (wrong) failures.push(`${c.op} [${who}] ${c.label} → ${wrong}`);
    }
    const after = await settledSnapshot(t);
    const changed = Object.keys(before).filter((k) => before[k] !== after[k]);
    expect({ failures, changed }).toEqual({ failures: [], changed: [] });
  });
});
