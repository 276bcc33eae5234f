// The rehearsal's own parts, tested alone: the stack reader, the Batch endpoint (with local
// processes for containers), the IAM front (against the embedded S3 server). No podman.
module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'rehearsal',
  rootDir: __dirname,
  testPathIgnorePatterns: ['/node_modules/', '\\.rehearse\\.spec\\.ts$'],
  testTimeout: 60_000,
};
