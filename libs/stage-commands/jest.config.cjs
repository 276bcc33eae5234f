module.exports = { ...require('../../jest.preset.cjs'), displayName: 'stage-commands', rootDir: __dirname };
