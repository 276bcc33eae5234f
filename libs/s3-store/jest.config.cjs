module.exports = { ...require('../../jest.preset.cjs'), displayName: 's3-store', rootDir: __dirname };
