import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile } from './load.js';

export interface PgbenchResult {
  /** Script runs per second (one run may hold several SQL transactions). */
  tps: number;
  p50: number;
  p99: number;
  runs: number;
  failed: number;
}

export interface PgbenchLoad {
  url: string;
  scripts: { name: string; sql: string }[];
  clients: number;
  seconds: number;
  /** Variables for the scripts (`-D name=value`). */
  vars?: Record<string, string>;
}

/**
 * Runs pgbench with custom scripts (`-M extended`, as node-postgres sends queries) and reads
 * per-transaction latencies from its log. Bounded: killed 60 s after its planned end.
 */
export async function pgbench(load: PgbenchLoad): Promise<PgbenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-pgbench-'));
  try {
    const files = load.scripts.map((s) => {
      const file = join(dir, `${s.name}.sql`);
      writeFileSync(file, s.sql);
      return file;
    });
    const u = new URL(load.url);
    const args = [
      '-n',
      '-M',
      'extended',
      '-c',
      String(load.clients),
      '-j',
      String(Math.min(load.clients, 2)),
      '-T',
      String(load.seconds),
      '-l',
      `--log-prefix=${join(dir, 'log')}`,
      '-h',
      u.hostname,
      '-p',
      u.port || '5432',
      '-U',
      decodeURIComponent(u.username || 'postgres'),
      ...Object.entries(load.vars ?? {}).flatMap(([k, v]) => ['-D', `${k}=${v}`]),
      ...files.flatMap((f) => ['-f', f]),
      u.pathname.slice(1),
    ];
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((resolve, reject) => {
      const child = spawn('pgbench', args, {
        env: { ...process.env, PGOPTIONS: '-c timezone=UTC' },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
      const timer = setTimeout(() => child.kill('SIGKILL'), (load.seconds + 60) * 1000);
      child.on('error', reject);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve({ code: c, stdout: out, stderr: err });
      });
    });
    const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1] ?? NaN);
    const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
    const latencies: number[] = [];
    for (const f of readdirSync(dir).filter((n) => n.startsWith('log'))) {
      for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (line && Number.isFinite(us)) latencies.push(us / 1000);
      }
    }
    if (code !== 0 || !latencies.length)
      throw new Error(
        `pgbench failed (exit ${code}): ${stderr.slice(-1500)}\n${stdout.slice(-500)}`,
      );
    latencies.sort((a, b) => a - b);
    return {
      tps,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      runs: latencies.length,
      failed,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A value as a SQL literal, for scripts built from the service's own parameterised SQL. */
export function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  // No ISO text: pgbench would read the ':00' in '12:00:00' as a variable.
  if (v instanceof Date) return `to_timestamp(${v.getTime() / 1000})`;
  if (Array.isArray(v))
    return `'{${v.map((x) => `"${String(x).replace(/["\\]/g, '\\$&')}"`).join(',')}}'`;
  return `'${String(v).replace(/'/g, "''")}'`;
}

/** Replaces `$1`, `$2` … with literals (highest number first, so $1 never eats $10). */
export function inline(sql: string, params: unknown[]): string {
  let out = sql;
  for (let i = params.length; i >= 1; i--) out = out.split(`$${i}`).join(literal(params[i - 1]));
  return out;
}
