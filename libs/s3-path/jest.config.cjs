module.exports = { ...require('../../jest.preset.cjs'), displayName: 's3-path', rootDir: __dirname };
