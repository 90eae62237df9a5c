import { Redis } from 'ioredis';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A TCP port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** A throwaway Redis server of the test's own, so that it can be stopped and started again. */
export function startRedis(port: number): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
}

export async function stop(p: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((r) => p.once('exit', () => r()));
  p.kill(signal);
  await exited;
}

/** The built service as a separate process (`npm test` builds first). */
export function startService(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', process.env.CC_TEST_SERVICE_LOG ? 'inherit' : 'ignore', 'inherit'],
  });
}

/** Polls until `check` returns true, or fails after `ms`. */
export async function eventually(
  check: () => Promise<boolean>,
  ms = 20000,
  what = 'condition',
): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * A Redis server of the test's own, answering: for a test that flushes, restarts or hangs Redis,
 * or changes anything server-wide (SCRIPT FLUSH) — never the shared one, where the files running
 * beside it keep their queues.
 */
export async function ownRedis(): Promise<{ port: number; process: ChildProcess; url: string }> {
  const port = await freePort();
  const process = startRedis(port);
  const url = `redis://127.0.0.1:${port}`;
  await eventually(
    async () => {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        probe.disconnect();
      }
    },
    10_000,
    'redis up',
  );
  return { port, process, url };
}
