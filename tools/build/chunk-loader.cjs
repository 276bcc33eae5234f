// Bundled into every stage by tools/build/bundle.mjs: evaluates a lazy chunk (code that the
// bundle carries as a string) the first time one of its modules is imported.
const { join } = require('node:path');
const { compileFunction } = require('node:vm');
const { brotliDecompressSync } = require('node:zlib');

/**
 * Runs a chunk as a CommonJS module of the bundle. `packed` is its code, brotli-compressed
 * and in base64 (see bundle.mjs for why). `name` is the chunk's file name beside
 * the bundle (where its source map lies, main.<chunk>.js.map); `shared` maps the ids of the
 * modules it shares with the bundle to getters of those very instances, so that, say, an
 * error class is the same class on both sides.
 */
function evaluateChunk(packed, name, shared) {
  const filename = join(__dirname, name);
  const code = brotliDecompressSync(Buffer.from(packed, 'base64')).toString('utf8');
  const run = compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename });
  const chunkRequire = (id) => (Object.hasOwn(shared, id) ? shared[id]() : require(id));
  chunkRequire.resolve = require.resolve;
  chunkRequire.cache = require.cache;
  chunkRequire.main = require.main;
  const chunkModule = { exports: {}, id: filename, filename, loaded: false, require: chunkRequire };
  // The chunk sees the bundle's own file name, so that `new Worker(__filename)` starts the bundle.
  run.call(chunkModule.exports, chunkModule.exports, chunkRequire, chunkModule, __filename, __dirname);
  chunkModule.loaded = true;
  return chunkModule.exports;
}

module.exports = { evaluateChunk };
