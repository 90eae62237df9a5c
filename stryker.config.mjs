// @ts-check
import process from 'node:process';

/**
 * Mutation testing of the core (`npm run test:mutation`, not part of `npm test`): StrykerJS with
 * its jest runner over src/tasks and src/reports/digest, judged by the focused jest run of
 * jest.mutation.config.js (unit specs of those folders, test/medium, the lifecycle and digest
 * e2e files). See README, "Mutation testing".
 *
 * - jest runs as `npm test` runs it: ESM through ts-jest, so the test runner's node gets
 *   --experimental-vm-modules (testRunnerNodeArgs), as the jest runner's documentation says.
 * - perTest coverage: each mutant runs only the tests that executed its code. Code the e2e
 *   files run in a beforeAll counts as "static" coverage; `ignoreStatic` keeps such mutants
 *   from running every test file (mutants with per-test coverage as well still run, on the
 *   tests that covered them); mutants reached only at module load or in a beforeAll are
 *   reported as Ignored, and counted in the README.
 * - incremental: results are kept in reports/stryker-incremental.json (git-ignored) so a second
 *   run tests only the mutants whose code or tests changed (the file is written when a run ends).
 * - concurrency 1: one jest at a time on a 2-core machine shared with the database and Redis.
 *
 * `npm run test:mutation -- --mutate src/a.ts,src/b.ts` narrows the run (e.g. to measure).
 * `npm run test:mutation:unit` (MUTATION_TESTS=unit) judges by the unit specs alone: minutes,
 * not hours, and static mutants included (see ignoreStatic below).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const unitOnly = process.env.MUTATION_TESTS === 'unit';

/** Files of the two folders that are SQL text or Nest wiring, not logic (see `mutate`). */
const SQL_AND_WIRING = [
  'src/**/*.repository.ts',
  'src/**/*.reader.ts',
  'src/**/*.controller.ts',
  'src/**/*.module.ts',
  'src/tasks/task-reader.ts',
  'src/tasks/recurrence/recurrence-links.ts',
  'src/tasks/task-numbering.ts',
];

const config = {
  packageManager: 'npm',
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  jest: {
    projectType: 'custom',
    configFile: 'jest.mutation.config.js',
    enableFindRelatedTests: true,
  },
  coverageAnalysis: 'perTest',
  // The unit-only mode runs in seconds per mutant: there, static mutants (the lifecycle table,
  // module constants) run the unit specs too instead of being ignored.
  ignoreStatic: !unitOnly,
  checkers: [],
  // The logic of the two folders. SQL and wiring are left out (README, "Mutation testing"):
  // repositories and readers whose body is a SQL string, controllers, modules and DTOs. Their
  // string mutants are killed only by the e2e files (tens of seconds per mutant) and mostly
  // turn valid SQL into a syntax error that any e2e test of the route catches; the e2e files
  // (tasks-lifecycle, digest, hostile-authz, test/medium) cover every one of them.
  // MUTATION_SCOPE=all puts them back (an e2e-backed run of everything: more than a day).
  mutate: [
    'src/tasks/**/*.ts',
    'src/reports/digest/**/*.ts',
    '!**/*.spec.ts',
    '!**/dto/**',
    '!**/*.dto.ts',
    '!**/*.entity.ts',
    ...(process.env.MUTATION_SCOPE === 'all' ? [] : SQL_AND_WIRING.map((glob) => `!${glob}`)),
  ],
  concurrency: 1,
  incremental: true,
  incrementalFile: unitOnly
    ? 'reports/stryker-incremental-unit.json'
    : 'reports/stryker-incremental.json',
  // Stryker's timeout is 2 × the covering tests' net time + timeoutMS, and the net time leaves
  // out what an e2e file costs before its first test (loading the app, cloning the database,
  // booting Nest: 10–20 s a file on a loaded machine). With 60 s, a mutant covered by tests in
  // five e2e files timed out for that cost alone, and Stryker counts a timeout as detected: the
  // e2e mode waits 10 minutes, so a Timeout there is a real hang.
  timeoutMS: unitOnly ? 60000 : 600000,
  timeoutFactor: 2,
  appendPlugins: ['./test/support/stryker-mutant-log.mjs'],
  reporters: ['clear-text', 'progress-append-only', 'html', 'json', 'mutant-log'],
  htmlReporter: { fileName: `reports/mutation/${unitOnly ? 'unit' : 'mutation'}.html` },
  jsonReporter: { fileName: `reports/mutation/${unitOnly ? 'unit' : 'mutation'}.json` },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['/reports', '/dist', '/coverage', '/test-results', '/playwright-report'],
  cleanTempDir: true,
  thresholds: { high: 85, low: 70, break: null },
};
export default config;
