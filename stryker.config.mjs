// Mutation testing with StrykerJS (issue 16), one lib per run: tools/mutation/run.mjs sets
// MUTATION_LIB and runs `stryker run` with this file (`npm run test:mutation [-- LIB...]`).
// Mutants are checked by the TypeScript compiler first (a mutant that does not compile is not a
// test's job), then run against the lib's own jest suite, only the tests that cover each mutant.
// Incremental: the results of the last run are kept in reports/mutation/<lib>/ (committed), so
// a run re-tests only the mutants whose code or covering tests changed since.
import { thresholds } from './tools/mutation/thresholds.mjs';

const lib = process.env.MUTATION_LIB;
if (!lib || !/^[a-z0-9-]+$/.test(lib)) throw new Error('MUTATION_LIB must name a lib (run it through npm run test:mutation)');
const root = `libs/${lib}`;

export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: `${root}/jest.config.cjs`, enableFindRelatedTests: true },
  checkers: ['typescript'],
  tsconfigFile: `${root}/tsconfig.json`,
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [`${root}/src/**/*.ts`, `!${root}/src/**/*.spec.ts`, `!${root}/src/**/*.spec-helper.ts`],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: `reports/mutation/${lib}/stryker-incremental.json`,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `tmp/mutation/${lib}/mutation.json` },
  htmlReporter: { fileName: `tmp/mutation/${lib}/mutation.html` },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  // The machine has two cores shared with other work.
  concurrency: 2,
  // A mutant that loops forever costs this on top of its tests' own time (times 1.5): 10 s
  // leaves room for another session pausing us, and is a sixth of what the first runs spent.
  timeoutMS: 10_000,
  tempDirName: `tmp/stryker-${lib}`,
  // The sandbox needs the lib, the libs it imports and the workspace's TypeScript and jest set-up
  // (with tools/mutation/scaled-fast-check.cjs, which jest.preset.cjs maps fast-check to here).
  ignorePatterns: ['/apps', '/e2e', '/e2e-images', '/infra', '/documents', '/docs', '/tools/*', '!/tools/mutation', '/dist', '/tmp', '/reports', '/.wordbatch', '/.nx'],
  thresholds,
};
