module.exports = { ...require('../../jest.preset.cjs'), displayName: 'local-s3', rootDir: __dirname };
