module.exports = { ...require('../../jest.preset.cjs'), displayName: 'concurrency', rootDir: __dirname };
