module.exports = { ...require('../../jest.preset.cjs'), displayName: 'plan', rootDir: __dirname };
