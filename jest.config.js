// ESM jest: Nest 12 packages are ESM-only, so ts-jest runs in ESM mode and the
// `.js` suffix of relative imports is stripped to find the `.ts` source.
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  testEnvironment: 'node',
  setupFilesAfterEnv: ['<rootDir>/test/support/evaluate-nest-first.js'],
  // The sandbox copies of the project a mutation run (npm run test:mutation) works in.
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
};

export default {
  testTimeout: 60000,
  // A listening app closed mid-test (the shutdown and slow-client tests) leaves a handle jest
  // cannot attribute (--detectOpenHandles finds none); the run must still end, never hang CI.
  forceExit: true,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.js',
      globalTeardown: '<rootDir>/test/support/global-teardown.js',
    },
  ],
};
