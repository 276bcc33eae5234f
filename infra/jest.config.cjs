module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'infra',
  rootDir: __dirname,
  // Adds cdktf's toHaveResourceWithProperties & co. to expect().
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
};
