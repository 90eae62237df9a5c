import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkResult,
  judge,
  RESULT_SCHEMA_ID,
  type BenchResult,
  type BenchScenario,
  type LoadReading,
} from '../bench/results-schema.js';

/**
 * The benchmark's result schema (bench/results-schema.ts, bench/README.md): the load guard's
 * rules, the judging of goals, the checker behind `npm run bench:check`, and every result file
 * in the repository. No database: pure functions and files.
 */

const quiet: LoadReading = {
  before: 0.4,
  after: 1.1,
  limit: 1.5,
  comparable: true,
  overridden: false,
};
const busy: LoadReading = {
  before: 4.2,
  after: 5,
  limit: 1.5,
  comparable: false,
  overridden: false,
};
const overridden: LoadReading = { ...busy, comparable: true, overridden: true };

type Draft = Parameters<typeof judge>[0];
const create: Draft = {
  id: 'create',
  title: 'Create task',
  connections: 10,
  http: { value: 300, unit: '/s', what: 'creates/s' },
  raw: { value: 1000, unit: '/s', what: 'pgbench tps' },
  goal: { text: 'create ≥ 0.5×', on: 'ratio', op: '>=', target: 0.5, loadSensitive: true },
  extra: {},
};
const list: Draft = {
  id: 'list-10',
  title: 'GET /tasks, 10 conn.',
  connections: 10,
  http: { value: 35, unit: 'ms', what: 'p99' },
  raw: { value: 20, unit: 'ms', what: 'SQL p99' },
  goal: { text: 'p99 < 40 ms', on: 'http', op: '<', target: 40, loadSensitive: true },
  extra: { httpP50Ms: 5 },
};
const rss: Draft = {
  id: 'export-csv',
  title: 'export csv',
  connections: 1,
  http: { value: 180, unit: 'MB', what: 'RSS peak' },
  raw: null,
  goal: { text: 'RSS < 300 MB', on: 'http', op: '<', target: 300, loadSensitive: false },
  extra: { rows: 1_000_000, rowsPerSecond: 20_000 },
};

function result(load: LoadReading, scenarios: BenchScenario[]): BenchResult {
  return {
    schema: RESULT_SCHEMA_ID,
    script: 'run',
    startedAt: '2026-12-01T18:00:00.000Z',
    finishedAt: '2026-12-01T18:10:00.000Z',
    machine: {
      cpus: 2,
      cpuModel: 'AMD EPYC',
      memoryGb: 24,
      node: 'v24.21.0',
      postgres: 'PostgreSQL 15.20',
    },
    load,
    data: { database: 'bench_x', reused: true, tasks: 1_000_000 },
    settings: { connections: 10, seconds: 10, logLevel: 'info' },
    scenarios,
    details: { anything: [1, 2] },
  };
}

describe('bench results: judging', () => {
  it('a quiet machine: the ratio is http ÷ raw and each goal is judged on its figure', () => {
    const [c, l, e] = [create, list, rss].map((d) => judge(d, quiet));
    expect(c).toMatchObject({ ratio: 0.3, met: false });
    expect(c.why).toMatch(/ratio 0\.30 is not >= 0\.5/);
    expect(l).toMatchObject({ ratio: 35 / 20, met: true, why: null });
    expect(e).toMatchObject({ ratio: null, met: true, why: null });
    expect(checkResult(result(quiet, [c, l, e]))).toEqual([]);
  });

  it('a busy machine: no ratio, timing goals not judged, memory goals still judged', () => {
    const [c, l, e] = [create, list, rss].map((d) => judge(d, busy));
    expect(c).toMatchObject({ ratio: null, met: null });
    expect(c.why).toBe('not comparable: load 4.20 > 1.5 before the start');
    expect(l).toMatchObject({ ratio: null, met: null });
    expect(l.http?.value).toBe(35); // the figure itself is kept, as "not comparable"
    expect(e).toMatchObject({ met: true, why: null });
    expect(checkResult(result(busy, [c, l, e]))).toEqual([]);
  });

  it('--ignore-load judges a busy machine and the file says it was overridden', () => {
    const c = judge(create, overridden);
    expect(c).toMatchObject({ ratio: 0.3, met: false });
    expect(checkResult(result(overridden, [c]))).toEqual([]);
  });

  it('a scenario not measured is not judged and says why', () => {
    const d = judge({ ...create, http: null, why: 'the service has no such route' }, quiet);
    expect(d).toMatchObject({ ratio: null, met: null, why: 'the service has no such route' });
    const missed = judge({ ...list, http: { ...list.http!, value: 41 } }, quiet);
    expect(missed).toMatchObject({ met: false });
  });
});

describe('bench results: the checker', () => {
  const sound = (): BenchResult => result(quiet, [judge(create, quiet), judge(list, quiet)]);

  it('finds a missing field and a wrong type, naming where', () => {
    const r = sound() as unknown as Record<string, unknown>;
    delete r.load;
    expect(checkResult(r).join('\n')).toMatch(/must have required property 'load'/);
    const s = sound();
    (s.scenarios[0] as unknown as Record<string, unknown>).ratio = '0.3';
    expect(checkResult(s).join('\n')).toMatch(/\/scenarios\/0\/ratio must be number,null/);
    const extra = sound() as unknown as Record<string, unknown>;
    extra.goals = [];
    expect(checkResult(extra).join('\n')).toMatch(/must NOT have additional properties/);
    expect(checkResult({ ...sound(), schema: 'cc-bench-result/0' }).join('\n')).toMatch(
      /\/schema must be equal to constant/,
    );
  });

  it('refuses a ratio or a timing verdict on a busy machine', () => {
    const s = result(busy, [judge(create, quiet)]);
    const problems = checkResult(s).join('\n');
    expect(problems).toMatch(/a ratio on a busy machine/);
    expect(problems).toMatch(/judged on a busy machine/);
  });

  it('refuses a verdict that disagrees with its figures, a ratio not http ÷ raw, a missing why', () => {
    const s = sound();
    s.scenarios[1] = { ...s.scenarios[1], met: false, why: 'x' };
    s.scenarios[0] = { ...s.scenarios[0], ratio: 0.6 };
    const problems = checkResult(s).join('\n');
    expect(problems).toMatch(/scenarios\/1 \(list-10\): met=false disagrees with 35 < 40/);
    expect(problems).toMatch(/scenarios\/0 \(create\): ratio is not http ÷ raw/);
    const t = sound();
    t.scenarios[0] = { ...t.scenarios[0], why: null };
    expect(checkResult(t).join('\n')).toMatch(/missed or not judged without a why/);
  });

  it('refuses repeated ids and a load reading that contradicts its own limit', () => {
    const s = sound();
    s.scenarios.push(s.scenarios[0]);
    expect(checkResult(s).join('\n')).toMatch(/id repeated/);
    const t = result({ ...busy, comparable: true }, []);
    expect(checkResult(t).join('\n')).toMatch(/comparable must be/);
  });

  it('every result file in bench/results is sound', () => {
    const dir = 'bench/results';
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    for (const f of files) {
      const problems = checkResult(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      expect({ file: f, problems }).toEqual({ file: f, problems: [] });
    }
  });
});
