// Plain JavaScript, the global teardown of jest.mutation.config.js: drops the databases the
// test files cloned and their Redis keys, keeps the worker's migrated template (see
// mutation-global-setup.js). The templates of finished runs are dropped by the next run's setup
// once six hours old, like any database of a killed run.
import { dropRunDatabases } from './global-teardown.js';

export default async function mutationGlobalTeardown() {
  const runId = process.env.CC_TEST_RUN_ID;
  if (runId) await dropRunDatabases(runId, [`cc_t_${runId}_tpl`]);
}
