// The image suite: podman containers, not the `test` target, so `nx run-many -t test` never needs root or podman.
module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'e2e-images',
  rootDir: __dirname,
  testTimeout: 180_000,
};
