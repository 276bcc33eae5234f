module.exports = { ...require('../../jest.preset.cjs'), displayName: 'wordbatch', rootDir: __dirname };
