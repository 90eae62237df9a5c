import { cpus, totalmem } from 'node:os';
import {
  fmt,
  FRAMEWORK_CASES,
  measurementOf,
  type Measurement,
  type ScenarioResult,
} from './context.js';
import {
  judge,
  RESULT_SCHEMA_ID,
  type BenchResult,
  type BenchScenario,
  type Figure,
  type Goal,
  type LoadReading,
} from './results-schema.js';

export function machine(postgres: string): BenchResult['machine'] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres,
  };
}

type Draft = Omit<BenchScenario, 'ratio' | 'met' | 'why'> & { why?: string | null };

const rate = (m: Measurement | undefined, what: string, unit = '/s'): Figure | null =>
  m?.http && Number.isFinite(m.http.rps) ? { value: m.http.rps, unit, what } : null;
const tps = (m: Measurement | undefined, what: string): Figure | null =>
  m?.raw && Number.isFinite(m.raw.tps) ? { value: m.raw.tps, unit: '/s', what } : null;
const ms = (value: number | undefined, what: string): Figure | null =>
  value !== undefined && Number.isFinite(value) ? { value, unit: 'ms', what } : null;
const latencyExtra = (m: Measurement | undefined): Record<string, number> => {
  const out: Record<string, number> = {};
  if (m?.http) {
    out.httpP50Ms = m.http.p50;
    out.httpMaxMs = m.http.max;
    out.httpRps = m.http.rps;
    out.requests = m.http.ok;
    out.non2xx = m.http.non2xx;
    out.errors = m.http.errors;
  }
  if (m?.raw) {
    out.rawP50Ms = m.raw.p50;
    out.rawTps = m.raw.tps;
  }
  for (const k of Object.keys(out)) if (!Number.isFinite(out[k])) delete out[k];
  return out;
};
const goal = (
  text: string,
  on: Goal['on'],
  op: Goal['op'],
  target: number,
  loadSensitive = true,
): Goal => ({ text, on, op, target, loadSensitive });

/** The issue's goals (#15), one fixed-schema entry each, from the scenarios' measurements. */
function drafts(s: ScenarioResult, connections: number): Draft[] {
  const why = s.skipped ?? null;
  switch (s.id) {
    case 'framework': {
      const by = (label: string): Measurement | undefined => measurementOf(s.measurements, label);
      const [plain, health, me] = [
        FRAMEWORK_CASES.plain,
        FRAMEWORK_CASES.health,
        FRAMEWORK_CASES.me,
      ].map(by);
      const raw = rate(plain, 'bare node:http GET /health, requests/s');
      // What the frameworks alone serve (one route each), and the service's share of Nest's; what
      // the bare handler serves sending the service's answer headers, and the service's share of it.
      const ceiling = (m: Measurement | undefined): Record<string, number> => {
        const fastify = by(FRAMEWORK_CASES.fastify)?.http?.rps;
        const nest = by(FRAMEWORK_CASES.nest)?.http?.rps;
        const withHeaders = by(FRAMEWORK_CASES.plainWithHeaders)?.http?.rps;
        const out: Record<string, number> = {};
        if (withHeaders !== undefined) {
          out.nodeHttpWithHeadersRps = withHeaders;
          if (m?.http) out.ofNodeHttpWithHeaders = m.http.rps / withHeaders;
        }
        if (fastify !== undefined) out.fastifyAloneRps = fastify;
        if (nest !== undefined) {
          out.nestAloneRps = nest;
          if (m?.http) out.ofNestAlone = m.http.rps / nest;
          if (plain?.http) out.nestAloneOfNodeHttp = nest / plain.http.rps;
        }
        return out;
      };
      return [
        {
          id: 'framework-health',
          title: 'Framework: anonymous GET /health vs a bare node:http handler',
          connections,
          http: rate(health, 'GET /health, requests/s'),
          raw,
          goal: goal('anonymous /health ≥ 0.65× bare node:http', 'ratio', '>=', 0.65),
          extra: { ...latencyExtra(health), ...ceiling(health) },
          why,
        },
        {
          id: 'framework-auth',
          title: 'Framework: trivial authenticated route (GET /me) vs a bare node:http handler',
          connections,
          http: rate(me, 'GET /me with a bearer token, requests/s'),
          raw,
          goal: goal('trivial authenticated route ≥ 0.5× bare node:http', 'ratio', '>=', 0.5),
          extra: { ...latencyExtra(me), ...ceiling(me) },
          why,
        },
      ];
    }
    case 'create': {
      const m = s.measurements[0];
      return [
        {
          id: 'create',
          title: s.title,
          connections: m?.connections ?? connections,
          http: rate(m, 'POST /tasks, creates/s'),
          raw: tps(m, 'its writes in pgbench, transactions/s'),
          goal: goal('create ≥ 0.5× its writes in pgbench, 10 conn.', 'ratio', '>=', 0.5),
          extra: latencyExtra(m),
          why,
        },
      ];
    }
    case 'submit-check': {
      const m = s.measurements[0];
      return [
        {
          id: 'submit-check',
          title: s.title,
          connections: m?.connections ?? connections,
          http: rate(m, 'submit → check pairs/s'),
          raw: tps(m, 'their writes in pgbench, pairs/s'),
          goal: goal('submit → check ≥ 0.45× their writes in pgbench', 'ratio', '>=', 0.45),
          extra: latencyExtra(m),
          why,
        },
      ];
    }
    case 'list': {
      const [one, many] = s.measurements;
      const entry = (m: Measurement | undefined, target: number): Draft => ({
        id: `list-${m?.connections ?? '?'}`,
        title: `GET /tasks (filters, cursor), ${m?.connections} conn.`,
        connections: m?.connections ?? 1,
        http: ms(m?.http?.p99, 'GET /tasks p99'),
        raw: ms(m?.raw?.p99, 'the same SQL in pgbench, p99'),
        goal: goal(`task list p99 < ${target} ms at ${m?.connections} conn.`, 'http', '<', target),
        extra: latencyExtra(m),
        why,
      });
      return [entry(many, 40), entry(one, 20)];
    }
    case 'digest': {
      const m = s.measurements[0];
      return [
        {
          id: 'digest',
          title: s.title,
          connections: 1,
          http: ms(m?.http?.p50, 'GET /reports/digest p50'),
          raw: ms(m?.raw?.p50, 'its raw aggregate SQL p50'),
          goal: goal('weekly digest ≤ 1.2× its raw aggregate SQL', 'ratio', '<=', 1.2),
          extra: latencyExtra(m),
          why,
        },
      ];
    }
    case 'dashboard':
      return s.measurements.map((m) => ({
        id: `dashboard:${m.label}`,
        title: `Dashboard call GET ${m.label}, 1 conn.`,
        connections: 1,
        http: ms(m.http?.p99, `GET ${m.label} p99`),
        raw: null,
        goal: goal('every dashboard call p99 < 100 ms at 1 conn.', 'http', '<', 100),
        extra: latencyExtra(m),
        why,
      }));
    case 'export':
      return (s.exports ?? []).map((f) => ({
        id: `export-${f.format}`,
        title: `整改台账 export, ${f.format}, every task`,
        connections: 1,
        http: { value: f.peakRssMb, unit: 'MB', what: 'server RSS peak during the export' },
        raw: null,
        goal: goal('server RSS < 300 MB during the export', 'http', '<', 300, false),
        extra: {
          rows: f.rows,
          rowsPerSecond: f.rowsPerSecond,
          seconds: f.seconds,
          bytes: f.bytes,
          firstByteMs: f.firstByteMs,
          rssBeforeMb: f.rssBeforeMb,
        },
        why,
      }));
    default:
      return [];
  }
}

/** Every scenario as fixed-schema entries, judged under the load reading. */
export function toBenchScenarios(
  results: ScenarioResult[],
  connections: number,
  server: { idleRssMb: number; peakRssMb: number },
  load: LoadReading,
): BenchScenario[] {
  const all = results.flatMap((s) => drafts(s, connections));
  all.push({
    id: 'server-rss',
    title: 'Server RSS over the whole run (VmHWM)',
    connections,
    http: { value: server.peakRssMb, unit: 'MB', what: 'server peak RSS (VmHWM)' },
    raw: null,
    goal: goal('server RSS < 300 MB under load', 'http', '<', 300, false),
    extra: { idleRssMb: server.idleRssMb },
  });
  return all.map((d) => judge(d, load));
}

export function startResult(
  script: BenchResult['script'],
  started: Date,
  host: BenchResult['machine'],
  data: BenchResult['data'],
  settings: BenchResult['settings'],
): Omit<BenchResult, 'finishedAt' | 'load' | 'scenarios' | 'details'> {
  return {
    schema: RESULT_SCHEMA_ID,
    script,
    startedAt: started.toISOString(),
    machine: host,
    data,
    settings,
  };
}

const verdict = (s: BenchScenario): string =>
  s.met === null ? `– (${s.why})` : s.met ? 'yes' : `**no** — ${s.why}`;
const figure = (f: Figure | null): string =>
  f ? `${fmt(f.value, f.unit === '/s' ? 0 : 1)}${f.unit === '/s' ? '/s' : ` ${f.unit}`}` : '–';

/** The result as Markdown: the goals (fixed schema), then the per-measurement detail. */
export function markdown(r: BenchResult, results: ScenarioResult[] = []): string {
  const lines = [
    `# Benchmark ${r.startedAt} (${r.script})`,
    '',
    `Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB, Node ${r.machine.node}, ${r.machine.postgres}; load average ${fmt(r.load.before, 2)} before the start, ${fmt(r.load.after, 2)} after${r.load.comparable ? (r.load.overridden ? ' — above the limit, judged anyway (--ignore-load): development figures' : '') : ` — **above ${r.load.limit}: not comparable, no ratio reported, timing goals not judged**`}.`,
    `Data: database ${r.data.database}${r.data.reused ? ' (reused)' : ''}, ${r.data.tasks.toLocaleString('en')} tasks. Settings: ${Object.entries(
      r.settings,
    )
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ')}.`,
    '',
    '| scenario | conn. | HTTP | raw | ratio | goal | met? |',
    '|---|---|---|---|---|---|---|',
    ...r.scenarios.map(
      (s) =>
        `| ${s.title} | ${s.connections} | ${figure(s.http)} | ${figure(s.raw)} | ${s.ratio === null ? '–' : fmt(s.ratio, 2)} | ${s.goal.text} | ${verdict(s)} |`,
    ),
  ];
  const measured = results.filter((s) => s.measurements.some((m) => m.http || m.raw));
  if (measured.length) {
    lines.push(
      '',
      '| measurement | conn. | HTTP /s | HTTP p50 / p99 ms | server CPU | server RSS | raw /s | raw p50 / p99 ms |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const s of measured)
      for (const m of s.measurements)
        lines.push(
          `| ${s.id} — ${m.label} | ${m.connections} | ${fmt(m.http?.rps, 0)} | ${fmt(m.http?.p50)} / ${fmt(m.http?.p99)} | ${m.http ? `${fmt(m.http.cpuPercent, 0)} %` : '–'} | ${m.http ? `${fmt(m.http.rssMb, 0)} MB` : '–'} | ${fmt(m.raw?.tps, 0)} | ${fmt(m.raw?.p50)} / ${fmt(m.raw?.p99)} |`,
        );
  }
  lines.push('');
  for (const s of results) {
    for (const note of [...s.notes, ...(s.skipped ? [`skipped: ${s.skipped}`] : [])])
      lines.push(`- ${s.id}: ${note}`);
    for (const m of s.measurements) {
      if (m.http && (m.http.non2xx || m.http.errors))
        lines.push(
          `- ${s.id} (${m.label}): ${m.http.non2xx} non-2xx, ${m.http.errors} errors: ${JSON.stringify(m.http.statuses)}`,
        );
      if (m.raw?.failed)
        lines.push(`- ${s.id} (${m.label}): pgbench ${m.raw.failed} failed transactions`);
    }
  }
  return `${lines.join('\n')}\n`;
}
