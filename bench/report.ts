import { cpus, loadavg, totalmem } from 'node:os';
import { fmt, type ScenarioResult } from './context.js';

export interface Goal {
  goal: string;
  measured: string;
  met: boolean | null;
  why?: string;
}

export interface RunReport {
  startedAt: string;
  finishedAt: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    postgres: string;
    /** 1-minute load average before the scenarios and after them: other work on the machine. */
    loadBefore: number;
    loadAfter?: number;
  };
  settings: {
    tasks: number;
    connections: number;
    seconds: number;
    logLevel: string;
    poolSize: number;
    serverNodeOptions: string;
  };
  seed: { seconds: number; counts: Record<string, number> };
  scenarios: ScenarioResult[];
  server: { idleRssMb: number; peakRssMb: number };
  goals: Goal[];
}

export function machine(postgres: string): RunReport['machine'] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres,
    loadBefore: loadavg()[0],
  };
}

/** The four goals of the issue, judged from the measurements. */
export function judgeGoals(
  scenarios: ScenarioResult[],
  peakRssMb: number,
  idleRssMb: number,
): Goal[] {
  const find = (id: string): ScenarioResult | undefined => scenarios.find((s) => s.id === id);
  const goals: Goal[] = [];
  const create = find('create');
  if (create?.ratio) {
    const m = create.measurements[0];
    goals.push({
      goal: 'HTTP create ≥ 35 % of the pgbench rate, same concurrency',
      measured: `${fmt(create.ratio.value * 100, 0)} % (${fmt(m.http?.rps, 0)} vs ${fmt(m.raw?.tps, 0)} /s, ${m.connections} conn.)`,
      met: create.ratio.value >= 0.35,
    });
  }
  const list = find('list');
  if (list) {
    const [one, many] = list.measurements;
    goals.push({
      goal: 'GET /tasks p99 < 30 ms at full size',
      measured: `${fmt(one.http?.p99)} ms at 1 conn.; ${fmt(many?.http?.p99)} ms at ${many?.connections} conn.`,
      met: (one.http?.p99 ?? Infinity) < 30,
    });
  }
  const digest = find('digest');
  if (digest) {
    const m = digest.measurements[0];
    goals.push({
      goal: 'weekly digest < 1 s at full size',
      measured: m.http
        ? `p50 ${fmt(m.http.p50, 0)} ms, max ${fmt(m.http.max, 0)} ms`
        : `not measured: ${digest.skipped}`,
      met: m.http ? m.http.max < 1000 : null,
    });
  }
  goals.push({
    goal: 'server RSS < 300 MB under load',
    measured: `peak ${fmt(peakRssMb, 0)} MB (VmHWM); ${fmt(idleRssMb, 0)} MB idle after start`,
    met: peakRssMb < 300,
  });
  return goals;
}

const yes = (met: boolean | null): string => (met === null ? '–' : met ? 'yes' : '**no**');

export function markdown(r: RunReport): string {
  const lines = [
    `# Benchmark ${r.startedAt}`,
    '',
    `Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB, Node ${r.machine.node}, ${r.machine.postgres}; load average ${fmt(r.machine.loadBefore, 2)} before the scenarios, ${fmt(r.machine.loadAfter, 2)} after.`,
    `Data: ${Object.entries(r.seed.counts)
      .map(([k, v]) => `${v.toLocaleString('en')} ${k}`)
      .join(', ')}; seeded in ${fmt(r.seed.seconds, 0)} s.`,
    `Load: ${r.settings.seconds} s per measurement after a warm-up, ${r.settings.connections} connections unless noted; server log level ${r.settings.logLevel}, pool ${r.settings.poolSize}${r.settings.serverNodeOptions ? `, NODE_OPTIONS ${r.settings.serverNodeOptions}` : ''}; autocannon, the server, pgbench and Postgres share the machine.`,
    '',
    '| goal | measured | met? |',
    '|---|---|---|',
    ...r.goals.map(
      (g) => `| ${g.goal} | ${g.measured} | ${yes(g.met)}${g.why ? ` — ${g.why}` : ''} |`,
    ),
    '',
    '| scenario | conn. | HTTP /s | HTTP p50 / p99 ms | server CPU | raw /s | raw p50 / p99 ms | ratio |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const s of r.scenarios) {
    for (const [i, m] of s.measurements.entries()) {
      const ratio = i === 0 && s.ratio ? `${fmt(s.ratio.value, 2)} (${s.ratio.meaning})` : '';
      lines.push(
        `| ${s.title}${s.measurements.length > 1 ? ` — ${m.label}` : ''} | ${m.connections} | ${fmt(m.http?.rps, 0)} | ${fmt(m.http?.p50)} / ${fmt(m.http?.p99)} | ${m.http ? `${fmt(m.http.cpuPercent, 0)} %` : '–'} | ${fmt(m.raw?.tps, 0)} | ${fmt(m.raw?.p50)} / ${fmt(m.raw?.p99)} | ${ratio} |`,
      );
    }
  }
  lines.push(
    '',
    `Server RSS: ${fmt(r.server.idleRssMb, 0)} MB idle after start, peak ${fmt(r.server.peakRssMb, 0)} MB (VmHWM); per measurement: ${r.scenarios.flatMap((s) => s.measurements.filter((m) => m.http).map((m) => `${m.label} ${fmt(m.http?.rssMb, 0)}`)).join(', ')} MB.`,
    '',
  );
  for (const s of r.scenarios) {
    for (const note of [...s.notes, ...(s.skipped ? [`skipped: ${s.skipped}`] : [])])
      lines.push(`- ${s.id}: ${note}`);
    for (const m of s.measurements) {
      const bad = m.http && (m.http.non2xx || m.http.errors);
      if (bad)
        lines.push(
          `- ${s.id} (${m.label}): ${m.http?.non2xx} non-2xx, ${m.http?.errors} errors: ${JSON.stringify(m.http?.statuses)}`,
        );
      if (m.raw?.failed)
        lines.push(`- ${s.id} (${m.label}): pgbench ${m.raw.failed} failed transactions`);
    }
  }
  return `${lines.join('\n')}\n`;
}
