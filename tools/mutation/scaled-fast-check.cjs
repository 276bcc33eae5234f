// fast-check with every property's run count scaled by PROPERTY_RUNS_SCALE, for mutation runs
// only: jest.preset.cjs maps `fast-check` here when tools/mutation/run.mjs sets that variable,
// so the normal suite always runs the counts its specs name. A mutation run re-runs the
// covering properties once per mutant; a tenth of their runs (never fewer than MIN_RUNS) still
// kills what the biased generators reach (docs/testing.md, "Mutation testing").
// The package itself, under the name jest.preset.cjs maps to its CommonJS build: requiring
// `fast-check` from here would map back to this file.
const fc = require('fast-check/unscaled');

const MIN_RUNS = 20;
const scale = Number(process.env.PROPERTY_RUNS_SCALE);
if (!(scale > 0 && scale <= 1)) throw new Error(`PROPERTY_RUNS_SCALE must be in (0, 1], got ${process.env.PROPERTY_RUNS_SCALE}`);

function assert(property, parameters) {
  const named = parameters?.numRuns ?? fc.readConfigureGlobal()?.numRuns ?? 100;
  return fc.assert(property, { ...parameters, numRuns: Math.max(Math.min(named, MIN_RUNS), Math.ceil(named * scale)) });
}

const scaled = { ...fc, assert };
module.exports = { ...scaled, default: scaled, __esModule: true };
