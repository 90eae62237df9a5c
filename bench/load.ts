import autocannon, { type RequestSpec } from 'autocannon';
import { cpuSecondsOf, sampleRss } from './processes.js';

export interface HttpResult {
  /** Completed 2xx responses per second. */
  rps: number;
  p50: number;
  p99: number;
  max: number;
  ok: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
  /** Highest VmRSS of the server seen while this ran (MB). */
  rssMb: number;
  /** The server's CPU use while this ran, in % of one core. */
  cpuPercent: number;
}

export interface HttpLoad {
  base: string;
  pid: number;
  connections: number;
  seconds: number;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  requests?: RequestSpec[];
  /** Stop after this many requests (for slow endpoints), within `seconds` at most. */
  amount?: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs autocannon against the server; latencies (ms) are those of the 2xx responses. */
export async function hammer(load: HttpLoad): Promise<HttpResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const stopRss = sampleRss(load.pid);
  const cpuBefore = cpuSecondsOf(load.pid);
  const wallBefore = Date.now();
  const instance = autocannon({
    url: `${load.base}${load.path ?? ''}`,
    connections: load.connections,
    duration: load.seconds,
    amount: load.amount,
    timeout: 30,
    method: load.method ?? 'GET',
    headers: load.headers,
    body: load.body,
    requests: load.requests,
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await instance;
  const rssMb = stopRss();
  const cpuPercent =
    ((cpuSecondsOf(load.pid) - cpuBefore) / ((Date.now() - wallBefore) / 1000)) * 100;
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    ok: latencies.length,
    non2xx: result.non2xx,
    errors: result.errors,
    statuses,
    rssMb,
    cpuPercent,
  };
}
