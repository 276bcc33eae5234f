// Bundles one app into a single self-contained CommonJS file, dist/<app>/main.js, that runs
// with plain `node main.js` in an empty folder: what each container image holds.
//
// Startup: V8 must at least pre-parse every function of a script before running it, and the
// AWS SDK makes a stage bundle over a megabyte, so even `--help` used to cost 250-400 ms. So
// the code behind each `import()` that main.ts reaches (the S3 half, loaded on demand) is
// bundled apart and embedded as a string, which tools/build/chunk-loader.cjs compiles only
// when the chunk is first imported. The string is the chunk's code brotli-compressed, in
// base64: measured here, a plain string literal of the code still cost about 45 ms to read
// and scan at every start, the compressed one (a quarter of the size) about 25 ms, and
// decompressing it when it is needed about 9 ms, against about 100 ms to compile that code.
//
//   main.js                  the core: what main.ts reaches through static imports, plus the
//                            chunks as strings; still one file, nothing else needed at runtime
//   main.js.map              the core's source map
//   main.<chunk>.js.map      each chunk's source map; stack frames in a chunk name the file
//                            main.<chunk>.js beside main.js, which this map describes
//
// Chunks: everything behind the dynamic imports is one chunk ("lazy"), except a module named
// *-worker.ts, which gets a chunk of its own: it runs in a worker thread, a separate isolate
// that shares nothing with the main thread, so it should not compile the S3 half. A module the
// core already holds is never copied into a chunk: the chunk gets the core's instance (one
// StageError class, one logger), so identity and `instanceof` hold across the boundary.
import { build } from 'esbuild';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';

const projectRoot = process.argv[2];
if (!projectRoot) {
  console.error('usage: node tools/build/bundle.mjs apps/<name>');
  process.exit(2);
}
const outdir = join('dist', projectRoot);
const outfile = join(outdir, 'main.js');
const entry = join(projectRoot, 'src', 'main.ts');
const loaderPath = resolve('tools', 'build', 'chunk-loader.cjs');
const CHUNK_NAMESPACE = 'wordbatch-chunk';
const LAZY_NAMESPACE = 'wordbatch-lazy';
const SHARED_PREFIX = 'wordbatch-core:';

/**
 * `--version` of every program: the package version and the commit the bundle was built
 * from (`+changes` when the work tree differed from it), put in as a constant.
 */
function buildVersion() {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
  const git = (...args) => {
    try {
      return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return undefined;
    }
  };
  const commit = git('rev-parse', '--short=12', 'HEAD');
  const changed = commit !== undefined && git('status', '--porcelain', '--untracked-files=no') !== '';
  return `${version} (commit ${commit ?? 'unknown'}${changed ? '+changes' : ''})`;
}

const common = {
  define: { WORDBATCH_BUILD_VERSION: JSON.stringify(buildVersion()) },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  tsconfig: 'tsconfig.base.json',
  minify: true,
  keepNames: true,
  legalComments: 'external',
  logLevel: 'warning',
  write: false,
  // The report reads Chart.js's browser build from node_modules to inline it in its HTML
  // (libs/report/src/chart-library.ts); it is never code that a bundle runs.
  external: ['chart.js'],
};

/**
 * The workspace's libs have no import-time side effects, so esbuild may leave out a module
 * none of whose exports are used: importing a constant from a lib's index then costs that
 * constant, not every module the index re-exports (and their dependencies, such as zod).
 * Registered after the other plugins, which must see every import first.
 */
const librariesRoot = `${resolve('libs')}${sep}`;
const workspaceModulesArePure = {
  name: 'workspace-modules-are-pure',
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind === 'dynamic-import' || args.kind === 'entry-point' || args.pluginData?.pureProbe) return undefined;
      const result = await resolveOnce(builder, args, 'pureProbe');
      return result.path.startsWith(librariesRoot) ? { path: result.path, sideEffects: false } : undefined;
    });
  },
};

/** Resolves like esbuild would, from inside an onResolve callback, without recursing into it. */
async function resolveOnce(builder, args, marker) {
  const result = await builder.resolve(args.path, {
    kind: args.kind === 'dynamic-import' ? 'import-statement' : args.kind,
    resolveDir: args.resolveDir,
    importer: args.importer,
    pluginData: { [marker]: true },
  });
  if (result.errors.length > 0) throw new Error(result.errors.map((error) => error.text).join('\n'));
  return result;
}

const chunkOf = (path) => (/-worker\.ts$/.test(path) ? basename(path, '.ts') : 'lazy');
const moduleId = (path) => relative(process.cwd(), path).split('\\').join('/');

// 1. The core alone (dynamic imports left out): which modules it holds, which it loads lazily.
const lazyModules = new Map();
const scan = await build({
  ...common,
  entryPoints: [entry],
  outfile,
  metafile: true,
  plugins: [
    {
      name: 'find-dynamic-imports',
      setup(builder) {
        builder.onResolve({ filter: /.*/ }, async (args) => {
          if (args.kind !== 'dynamic-import' || args.pluginData?.dynamicProbe) return undefined;
          const { path } = await resolveOnce(builder, args, 'dynamicProbe');
          lazyModules.set(path, chunkOf(path));
          return { path, external: true };
        });
      },
    },
    workspaceModulesArePure,
  ],
});
// Only modules with code in the output: the metafile also lists those tree-shaking dropped.
const coreOutput = Object.values(scan.metafile.outputs).find((output) => output.entryPoint !== undefined);
const coreModules = new Set(
  Object.entries(coreOutput.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => resolve(path)),
);

// 2. One bundle per chunk; its modules are exported by id, and core modules are required from the core.
const sharedModules = new Map();
const chunks = new Map();
for (const chunk of new Set(lazyModules.values())) {
  const members = [...lazyModules].filter(([, name]) => name === chunk).map(([path]) => path);
  const exports = members.map((path) => `${JSON.stringify(moduleId(path))}: () => require(${JSON.stringify(path)})`);
  const result = await build({
    ...common,
    stdin: { contents: `module.exports = {${exports.join(',')}};`, resolveDir: process.cwd(), sourcefile: `${chunk}.js`, loader: 'js' },
    outfile: join(outdir, `main.${chunk}.js`),
    sourcemap: 'external',
    plugins: [
      {
        name: 'share-core-modules',
        setup(builder) {
          builder.onResolve({ filter: /.*/ }, async (args) => {
            if (args.kind === 'entry-point' || args.pluginData?.shareProbe || args.pluginData?.pureProbe) return undefined;
            const { path, external } = await resolveOnce(builder, args, 'shareProbe');
            if (external || !coreModules.has(path)) return undefined;
            sharedModules.set(`${SHARED_PREFIX}${moduleId(path)}`, path);
            return { path: `${SHARED_PREFIX}${moduleId(path)}`, external: true };
          });
        },
      },
      workspaceModulesArePure,
    ],
  });
  chunks.set(chunk, result.outputFiles);
}

// 3. The core, with each dynamic import answered from its chunk.
const core = await build({
  ...common,
  entryPoints: [entry],
  outfile,
  sourcemap: 'linked',
  plugins: [
    {
      name: 'lazy-chunks',
      setup(builder) {
        builder.onResolve({ filter: /.*/ }, async (args) => {
          if (args.kind !== 'dynamic-import' || args.pluginData?.dynamicProbe) return undefined;
          const { path } = await resolveOnce(builder, args, 'dynamicProbe');
          return { path, namespace: LAZY_NAMESPACE };
        });
        builder.onLoad({ filter: /.*/, namespace: LAZY_NAMESPACE }, (args) => ({
          contents: `module.exports = require(${JSON.stringify(`${CHUNK_NAMESPACE}:${chunkOf(args.path)}`)})()[${JSON.stringify(moduleId(args.path))}]();`,
          resolveDir: process.cwd(),
          loader: 'js',
        }));
        builder.onResolve({ filter: new RegExp(`^${CHUNK_NAMESPACE}:`) }, (args) => ({
          path: args.path.slice(CHUNK_NAMESPACE.length + 1),
          namespace: CHUNK_NAMESPACE,
        }));
        builder.onLoad({ filter: /.*/, namespace: CHUNK_NAMESPACE }, (args) => {
          const code = chunks.get(args.path).find((file) => file.path.endsWith(`main.${args.path}.js`)).text;
          const packed = brotliCompressSync(`${code}//# sourceMappingURL=main.${args.path}.js.map\n`, {
            params: { [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY },
          }).toString('base64');
          const shared = [...sharedModules].map(([id, path]) => `${JSON.stringify(id)}: () => require(${JSON.stringify(path)})`);
          return {
            contents: [
              `const { evaluateChunk } = require(${JSON.stringify(loaderPath)});`,
              `const packed = ${JSON.stringify(packed)};`,
              'let exported;',
              `module.exports = () => (exported ??= evaluateChunk(packed, ${JSON.stringify(`main.${args.path}.js`)}, {${shared.join(',')}}));`,
            ].join('\n'),
            resolveDir: process.cwd(),
            loader: 'js',
          };
        });
      },
    },
    workspaceModulesArePure,
  ],
});

// Written last, all at once: the core, the source maps, and the licence notices of every part.
mkdirSync(outdir, { recursive: true });
for (const name of readdirSync(outdir)) if (name.startsWith('main.')) rmSync(join(outdir, name));
const outputs = [...core.outputFiles, ...[...chunks.values()].flat()];
const legal = [...new Set(outputs.filter((file) => file.path.endsWith('.LEGAL.txt')).map((file) => file.text.trim()))].join('\n\n');
for (const file of outputs) {
  if (file.path.endsWith('.LEGAL.txt') || /main\.[^/]+\.js$/.test(file.path)) continue;
  let text = file.text;
  if (file.path === resolve(outfile) && legal !== '') {
    text = text.replace(/\/\/# sourceMappingURL=/, '/*! For license information please see main.js.LEGAL.txt */\n//# sourceMappingURL=');
  }
  writeFileSync(file.path, text);
}
if (legal !== '') writeFileSync(`${outfile}.LEGAL.txt`, `${legal}\n`);
console.log(
  `${outfile}: ${(statSync(outfile).size / 1024).toFixed(0)} KiB` +
    [...chunks].map(([name, files]) => `, chunk ${name} ${(files.find((file) => file.path.endsWith('.js')).text.length / 1024).toFixed(0)} KiB`).join(''),
);
