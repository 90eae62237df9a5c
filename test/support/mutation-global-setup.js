// Plain JavaScript, the global setup of jest.mutation.config.js. Stryker's jest runner calls
// jest once per mutant in a long-lived worker process: the run id is made once per process, so
// the migrated template database (test-db.ts, named after the run id) is made once per worker
// and cloned for every mutant's test files, instead of being migrated again each time. The
// first call also does the usual clean-up of databases left by killed runs.
import globalSetup from './global-setup.js';

export default async function mutationGlobalSetup() {
  if (process.env.CC_TEST_RUN_ID) return;
  await globalSetup();
}
