// `npm run rehearse`: the deploy path end to end, the synthesized stack run with podman
// behind a local Batch endpoint and an IAM-enforcing S3 front (docs/aws-batch.md).
module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'rehearse',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.rehearse.spec.ts'],
  testTimeout: 600_000,
};
