module.exports = { ...require('../../jest.preset.cjs'), displayName: 'plan-inputs', rootDir: __dirname };
