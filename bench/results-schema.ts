import { Ajv } from 'ajv';

/**
 * The one schema of `bench/results/*.json` (bench/README.md explains every field). Every bench
 * script writes it; `npm run bench:check` validates files against it and re-judges each goal.
 */
export const RESULT_SCHEMA_ID = 'cc-bench-result/1';

/** A measured figure: its value, its unit, and what exactly it is. */
export interface Figure {
  value: number;
  unit: string;
  what: string;
}

export type GoalOp = '>=' | '<=' | '<' | '>';

export interface Goal {
  /** The goal as the README's table states it. */
  text: string;
  /** Which figure the goal judges: the ratio (HTTP over raw) or the HTTP figure itself. */
  on: 'ratio' | 'http';
  op: GoalOp;
  target: number;
  /**
   * Whether other work on the machine moves the figure (rates, latencies: yes; memory: no).
   * A load-sensitive goal is not judged when the load guard found the machine busy.
   */
  loadSensitive: boolean;
}

export interface BenchScenario {
  /** Stable id, e.g. `list-10`, `export-csv`, `dashboard:/tasks/counts/dashboard`. */
  id: string;
  title: string;
  connections: number;
  /** The service's figure. */
  http: Figure | null;
  /** Its raw anchor (bare node:http, pgbench with the same SQL); null where there is none. */
  raw: Figure | null;
  /** http ÷ raw; null without a raw figure, or when the load guard refused to report it. */
  ratio: number | null;
  goal: Goal;
  /** true met, false missed, null not judged (see `why`). */
  met: boolean | null;
  /** Why it was missed or not judged; null when met. */
  why: string | null;
  /** Further figures (rows/s, p50, rows, …): numbers only. */
  extra: Record<string, number>;
}

export interface LoadReading {
  /** 1-minute load average when the run started (before seeding or any scenario) and at its end. */
  before: number;
  after: number;
  /** The guard's limit on `before`. */
  limit: number;
  /** before ≤ limit, or the guard was overridden. */
  comparable: boolean;
  /** `--ignore-load`: judged although the machine was busy (development only). */
  overridden: boolean;
}

export interface BenchResult {
  schema: typeof RESULT_SCHEMA_ID;
  /** Which script wrote it. */
  script: 'run' | 'console-dashboard' | 'map-plans' | 'list-plans';
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; postgres: string };
  load: LoadReading;
  data: { database: string; reused: boolean; tasks: number };
  settings: { connections: number; seconds: number } & Record<string, string | number | boolean>;
  scenarios: BenchScenario[];
  /** The script's own detail (per-measurement figures, notes): free form, not checked. */
  details: Record<string, unknown>;
}

const figure = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['value', 'unit', 'what'],
  properties: {
    value: { type: 'number' },
    unit: { type: 'string', minLength: 1 },
    what: { type: 'string', minLength: 1 },
  },
};

export const RESULT_JSON_SCHEMA = {
  $id: RESULT_SCHEMA_ID,
  type: 'object',
  additionalProperties: false,
  required: [
    'schema',
    'script',
    'startedAt',
    'finishedAt',
    'machine',
    'load',
    'data',
    'settings',
    'scenarios',
    'details',
  ],
  properties: {
    schema: { const: RESULT_SCHEMA_ID },
    script: { enum: ['run', 'console-dashboard', 'map-plans', 'list-plans'] },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
    machine: {
      type: 'object',
      additionalProperties: false,
      required: ['cpus', 'cpuModel', 'memoryGb', 'node', 'postgres'],
      properties: {
        cpus: { type: 'integer', minimum: 1 },
        cpuModel: { type: 'string' },
        memoryGb: { type: 'number', minimum: 0 },
        node: { type: 'string' },
        postgres: { type: 'string' },
      },
    },
    load: {
      type: 'object',
      additionalProperties: false,
      required: ['before', 'after', 'limit', 'comparable', 'overridden'],
      properties: {
        before: { type: 'number', minimum: 0 },
        after: { type: 'number', minimum: 0 },
        limit: { type: 'number', minimum: 0 },
        comparable: { type: 'boolean' },
        overridden: { type: 'boolean' },
      },
    },
    data: {
      type: 'object',
      additionalProperties: false,
      required: ['database', 'reused', 'tasks'],
      properties: {
        database: { type: 'string' },
        reused: { type: 'boolean' },
        tasks: { type: 'integer', minimum: 0 },
      },
    },
    settings: {
      type: 'object',
      required: ['connections', 'seconds'],
      properties: {
        connections: { type: 'integer', minimum: 1 },
        seconds: { type: 'number', minimum: 0 },
      },
      additionalProperties: { type: ['string', 'number', 'boolean'] },
    },
    scenarios: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'id',
          'title',
          'connections',
          'http',
          'raw',
          'ratio',
          'goal',
          'met',
          'why',
          'extra',
        ],
        properties: {
          id: { type: 'string', minLength: 1 },
          title: { type: 'string', minLength: 1 },
          connections: { type: 'integer', minimum: 1 },
          http: figure,
          raw: figure,
          ratio: { type: ['number', 'null'] },
          goal: {
            type: 'object',
            additionalProperties: false,
            required: ['text', 'on', 'op', 'target', 'loadSensitive'],
            properties: {
              text: { type: 'string', minLength: 1 },
              on: { enum: ['ratio', 'http'] },
              op: { enum: ['>=', '<=', '<', '>'] },
              target: { type: 'number' },
              loadSensitive: { type: 'boolean' },
            },
          },
          met: { type: ['boolean', 'null'] },
          why: { type: ['string', 'null'] },
          extra: { type: 'object', additionalProperties: { type: 'number' } },
        },
      },
    },
    details: { type: 'object' },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
// Only 'date-time' is used: a small check instead of the ajv-formats package.
ajv.addFormat('date-time', {
  type: 'string',
  validate: (s: string) =>
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(s) && !isNaN(Date.parse(s)),
});
const validateShape = ajv.compile(RESULT_JSON_SCHEMA);

export function compare(value: number, op: GoalOp, target: number): boolean {
  switch (op) {
    case '>=':
      return value >= target;
    case '<=':
      return value <= target;
    case '<':
      return value < target;
    case '>':
      return value > target;
  }
}

/** The figure a goal judges, if there is one to judge. */
function judged(s: Pick<BenchScenario, 'goal' | 'http' | 'ratio'>): number | null {
  return s.goal.on === 'ratio' ? s.ratio : (s.http?.value ?? null);
}

/**
 * Judges a scenario's goal from its figures and the load reading: the only way scenarios get
 * their `ratio`, `met` and `why`, so that every script judges alike.
 */
export function judge(
  s: Omit<BenchScenario, 'ratio' | 'met' | 'why'> & { why?: string | null },
  load: LoadReading,
): BenchScenario {
  const busy = !load.comparable;
  const ratio =
    s.http && s.raw && !busy && s.raw.value !== 0 && Number.isFinite(s.http.value / s.raw.value)
      ? s.http.value / s.raw.value
      : null;
  const base = { ...s, ratio };
  const value = judged(base);
  if (busy && (s.goal.loadSensitive || s.goal.on === 'ratio'))
    return {
      ...base,
      met: null,
      why: `not comparable: load ${load.before.toFixed(2)} > ${load.limit} before the start`,
    };
  if (value === null || !Number.isFinite(value))
    return {
      ...base,
      met: null,
      why: s.why ?? (s.goal.on === 'ratio' ? 'no raw figure to compare with' : 'not measured'),
    };
  const met = compare(value, s.goal.op, s.goal.target);
  return {
    ...base,
    met,
    why: met
      ? null
      : (s.why ??
        `${s.goal.on === 'ratio' ? 'ratio' : s.http?.what} ${value.toFixed(2)} is not ${s.goal.op} ${s.goal.target}`),
  };
}

/**
 * Problems with a result file: its shape against the JSON schema, then the rules a shape cannot
 * say — no ratio or load-sensitive verdict on a busy machine, each verdict agreeing with its
 * figures, a reason for every goal missed or not judged, ids unique. Empty when it is sound.
 */
export function checkResult(data: unknown): string[] {
  if (!validateShape(data))
    return (validateShape.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  const r = data as unknown as BenchResult;
  const problems: string[] = [];
  const busy = !r.load.comparable;
  if (r.load.comparable !== (r.load.before <= r.load.limit || r.load.overridden))
    problems.push(`/load: comparable must be (before <= limit) or overridden`);
  const seen = new Set<string>();
  for (const [i, s] of r.scenarios.entries()) {
    const at = `/scenarios/${i} (${s.id})`;
    if (seen.has(s.id)) problems.push(`${at}: id repeated`);
    seen.add(s.id);
    if (busy && s.ratio !== null) problems.push(`${at}: a ratio on a busy machine`);
    if (s.ratio !== null && (!s.http || !s.raw))
      problems.push(`${at}: a ratio without both figures`);
    if (
      s.ratio !== null &&
      s.http &&
      s.raw &&
      Math.abs(s.ratio - s.http.value / s.raw.value) > 1e-6
    )
      problems.push(`${at}: ratio is not http ÷ raw`);
    if (busy && (s.goal.loadSensitive || s.goal.on === 'ratio') && s.met !== null)
      problems.push(`${at}: judged on a busy machine`);
    const value = judged(s);
    if (s.met !== null) {
      if (value === null) problems.push(`${at}: judged without the figure`);
      else if (compare(value, s.goal.op, s.goal.target) !== s.met)
        problems.push(`${at}: met=${s.met} disagrees with ${value} ${s.goal.op} ${s.goal.target}`);
    }
    if (s.met !== true && !s.why) problems.push(`${at}: missed or not judged without a why`);
  }
  return problems;
}
