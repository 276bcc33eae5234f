module.exports = { ...require('../../jest.preset.cjs'), displayName: 'word-count', rootDir: __dirname };
