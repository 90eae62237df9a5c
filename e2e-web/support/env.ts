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
  password: string;
  users: { admin: string; inspector: string; unitA: string; unitB: string };
  unitA: { id: string; name: string };
  unitB: { id: string; name: string };
  siteA: { id: string; name: string };
  siteB: { id: string; name: string };
  categoryId: string;
}

export const ENV_FILE = join(tmpdir(), `cc-web-test-${process.env.CC_WEB_RUN ?? 'run'}.json`);

export function webEnv(): WebTestEnv {
  return JSON.parse(readFileSync(ENV_FILE, 'utf8')) as WebTestEnv;
}
