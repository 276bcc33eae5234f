module.exports = { ...require('../../jest.preset.cjs'), displayName: 'cost', rootDir: __dirname };
