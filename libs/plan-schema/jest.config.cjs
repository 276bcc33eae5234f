module.exports = { ...require('../../jest.preset.cjs'), displayName: 'plan-schema', rootDir: __dirname };
