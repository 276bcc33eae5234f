module.exports = { ...require('../../jest.preset.cjs'), displayName: 'merge', rootDir: __dirname };
