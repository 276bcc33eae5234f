// End-to-end suites: each starts its own embedded S3 server (s3rver) on a random loopback
// port and runs the bundled stage programs from dist/apps as child processes.
module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'e2e',
  rootDir: __dirname,
  testMatch: ['**/*.e2e.spec.ts'],
  testTimeout: 120_000,
  maxWorkers: 2,
};
