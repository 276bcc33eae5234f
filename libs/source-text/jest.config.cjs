module.exports = { ...require('../../jest.preset.cjs'), displayName: 'source-text', rootDir: __dirname };
