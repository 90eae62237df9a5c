// Plain JavaScript: jest loads global setup outside its ESM/TypeScript pipeline.
import { randomBytes } from 'node:crypto';

/**
 * Once per run: the run id that names every database and Redis key this run makes. The
 * migrated template database is created by the first test file that needs it (see
 * test/support/test-db.ts), under an advisory lock, since only test code can load the migrations.
 */
export default async function globalSetup() {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  process.env.CC_TEST_RUN_ID = runId;
}
