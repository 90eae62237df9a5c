import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

/** What the global setup started and seeded, shared with the tests through a file. */
export interface WebTestEnv {
  baseUrl: string;
  databaseUrl: string;
  dbName: string;
  pid: number;
  storageRoot: string;
  redisPrefix: string;
  password: string;
  users: { admin: string; inspector: string; unitA: string; unitB: string };
  unitA: { id: string; name: string };
  unitB: { id: string; name: string };
  siteA: { id: string; name: string };
  siteB: { id: string; name: string };
  categoryId: string;
}

/** A file per run (named by the global setup), so that runs side by side never meet. */
export function envFileFor(runId: string): string {
  return join(tmpdir(), `cc-web-test-${runId}.json`);
}

export function webEnv(): WebTestEnv {
  const file = process.env.CC_WEB_ENV_FILE;
  if (!file) throw new Error('the browser tests’ global setup did not run (CC_WEB_ENV_FILE unset)');
  return JSON.parse(readFileSync(file, 'utf8')) as WebTestEnv;
}
