// CommonJS, the test environment of jest.mutation.config.js (e2e mode): jest's node environment
// with a bail per mutant. Stryker's jest runner turns jest's `bail` off (it cannot be set through
// runCLI, jestjs/jest#11766), so a killed mutant still ran every test file that covered it: for
// a mutant of the task creation, a dozen e2e files, each booting the app (3–5 minutes a mutant on
// this machine). Here, once a test or hook of a mutant's jest run has failed, the files that
// run after it in the same run skip all their tests and hooks: the mutant is killed all the
// same (Stryker needs one failure), and the skipped files cost only their module loading. The
// runs without a test name pattern (plain jest, Stryker's dry run) are left alone.
/* global require, module */
// CommonJS so that jest and Stryker's environment wrapper can both load it with require().
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { TestEnvironment } = require('jest-environment-node');

/** The jest runs (one per mutant, by their global config) in which a test has failed. */
const failedRuns = new WeakSet();

function skipAll(block) {
  block.mode = 'skip';
  for (const child of block.children ?? []) skipAll(child);
}

class MutationEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.run = config.globalConfig;
  }

  async handleTestEvent(event, state) {
    if (!this.run?.testNamePattern) return;
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure') {
      failedRuns.add(this.run);
    } else if (event.name === 'run_start' && failedRuns.has(this.run)) {
      skipAll(state.rootDescribeBlock);
    }
  }
}

module.exports = MutationEnvironment;
