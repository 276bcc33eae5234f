module.exports = { ...require('../../jest.preset.cjs'), displayName: 'plan-io', rootDir: __dirname };
