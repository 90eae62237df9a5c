// The focused jest run of `npm run test:mutation` (stryker.config.mjs): the unit specs of the
// mutated folders and the e2e files that drive the task lifecycle and the digest through the
// HTTP API. Same ESM/ts-jest setup as jest.config.js; one project, so Stryker's jest runner can
// filter the tests per mutant (coverageAnalysis perTest).
//
// The global setup keeps one migrated template database per Stryker worker process instead of
// migrating a new one for every mutant (see test/support/mutation-global-setup.js).
// MUTATION_TESTS=unit (npm run test:mutation:unit): the unit specs alone, without the database
// (no global setup) and without evaluating Nest first: no unit spec loads @nestjs/throttler, and
// evaluating @nestjs/core in every jest run cost ~0.7 s per mutant.
import { fileURLToPath } from 'node:url';

const unitOnly = process.env.MUTATION_TESTS === 'unit';

export default {
  testTimeout: 120000,
  forceExit: true,
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  // e2e mode: jest's node environment with a bail per mutant (the file says why). An absolute
  // path: Stryker's jest runner loads the environment itself and does not expand <rootDir>.
  testEnvironment: unitOnly
    ? 'node'
    : fileURLToPath(new URL('./test/support/mutation-environment.cjs', import.meta.url)),
  setupFilesAfterEnv: unitOnly ? [] : ['<rootDir>/test/support/evaluate-nest-first.js'],
  ...(unitOnly
    ? {}
    : {
        globalSetup: '<rootDir>/test/support/mutation-global-setup.js',
        globalTeardown: '<rootDir>/test/support/mutation-global-teardown.js',
      }),
  // Per mutant, only the files that can hold the tests that covered it (see the file).
  testSequencer: '<rootDir>/test/support/mutation-sequencer.js',
  testMatch: [
    '<rootDir>/src/tasks/**/*.spec.ts',
    '<rootDir>/src/reports/digest/**/*.spec.ts',
    ...(unitOnly
      ? []
      : [
          '<rootDir>/test/medium/*.e2e-spec.ts',
          '<rootDir>/test/tasks-lifecycle.e2e-spec.ts',
          '<rootDir>/test/digest.e2e-spec.ts',
          '<rootDir>/test/digest-rework.e2e-spec.ts',
          // The digest by 来源 and the 签收 figures (ACK_REQUIRED): the only digest file that
          // asserts bySource, the district's sources and a unit's acknowledgement.
          '<rootDir>/test/digest-sources.e2e-spec.ts',
          // The only e2e files that reach three services: recurrence.service.ts (a 反弹 found and
          // recorded), ledger.service.ts (GET /tasks/ledger and its export), field.service.ts
          // (nearby, observations). The sequencer loads each only for the mutants it covers.
          '<rootDir>/test/recurrence.e2e-spec.ts',
          '<rootDir>/test/ledger-export.e2e-spec.ts',
          '<rootDir>/test/field-api.e2e-spec.ts',
        ]),
  ],
};
