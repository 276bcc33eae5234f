// Shared by every project's jest.config.cjs. Type errors are the typecheck target's job,
// so ts-jest only transpiles here, which keeps a test run fast.
const path = require('node:path');
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.base.json') }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    // Mutation runs only (tools/mutation/run.mjs sets the variable): fewer runs per property.
    ...(process.env.PROPERTY_RUNS_SCALE
      ? { '^fast-check$': path.join(__dirname, 'tools/mutation/scaled-fast-check.cjs'), '^fast-check/unscaled$': require.resolve('fast-check') }
      : {}),
    ...pathsToModuleNameMapper(compilerOptions.paths, { prefix: `${__dirname}/` }),
  },
  testMatch: ['**/*.spec.ts'],
  // Generous, because CI runs two projects' suites at once on two cores: a test that is
  // slow under load should still pass, and one that hangs should still fail.
  testTimeout: 30_000,
};
