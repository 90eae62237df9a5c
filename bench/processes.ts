import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface Server {
  name: string;
  child: ChildProcess;
  base: string;
}

/** Every child this run started, so that an abort can stop exactly those. */
const started = new Set<ChildProcess>();
/** Children being stopped on purpose: their exit is not news. */
const stopping = new Set<ChildProcess>();

/** Starts `node <script>` on a free loopback port and waits until `readyPath` answers 200. */
export async function startNode(
  name: string,
  script: string,
  env: Record<string, string>,
  readyPath: string,
): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  child.once('exit', (code, signal) => {
    if (!stopping.has(child)) console.error(`${name} exited (${code ?? signal}): ${stderr}`);
  });
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}: ${stderr}`);
    const ok = await fetch(`${base}${readyPath}`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return { name, child, base };
    await sleep(200);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} not ready within 60 s: ${stderr}`);
}

export async function stop(server: Server): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  stopping.add(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Kills what this run started (used when the run is aborted). */
export function killStarted(): void {
  for (const child of started) {
    stopping.add(child);
    child.kill('SIGKILL');
  }
}

/** Resident memory of a process in MB: now (VmRSS) and the peak since it started (VmHWM). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid: number): number {
  // Fields 14 and 15 of /proc/<pid>/stat, after the ')' that ends the command name; 100 Hz ticks.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Samples VmRSS every 100 ms until stopped; returns the highest seen. */
export function sampleRss(pid: number): () => number {
  let max = memoryOf(pid).rssMb;
  const timer = setInterval(() => {
    try {
      max = Math.max(max, memoryOf(pid).rssMb);
    } catch {
      // the process is gone; keep what was seen
    }
  }, 100);
  return () => {
    clearInterval(timer);
    return max;
  };
}
