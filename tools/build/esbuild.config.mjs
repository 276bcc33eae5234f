// What every app's bundle shares, read by the @nx/esbuild:esbuild executor (nx.json's
// targetDefaults point each app's build at this file). Each app becomes one self-contained
// CommonJS file, dist/apps/<app>/main.js, that runs with plain `node main.js` in an empty
// folder: what each stage image holds. The executor options around it (bundle, thirdParty,
// minify, target, outputPath) are in nx.json and each app's project.json.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';

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

/**
 * The workspace's libs have no import-time side effects, so esbuild may leave out a module
 * none of whose exports are used: importing a constant from a lib's index then costs that
 * constant, not every module the index re-exports (and their dependencies).
 */
const librariesRoot = `${resolve('libs')}${sep}`;
const workspaceModulesArePure = {
  name: 'workspace-modules-are-pure',
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind === 'entry-point' || args.pluginData?.pureProbe) return undefined;
      const result = await builder.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { pureProbe: true },
      });
      if (result.errors.length > 0) return undefined;
      return result.path.startsWith(librariesRoot) ? { path: result.path, sideEffects: false } : undefined;
    });
  },
};

/**
 * `import source from 'bundled-source:./file'`: that file bundled on its own, as the app is,
 * and given as a string. A worker thread started from it (`new Worker(source, { eval: true })`)
 * compiles a few kilobytes instead of the whole app's bundle: the app stays one file, and
 * each of migrate's counting threads starts in about a third of the CPU time.
 */
const bundledSource = {
  name: 'bundled-source',
  setup(builder) {
    const prefix = 'bundled-source:';
    builder.onResolve({ filter: /^bundled-source:/ }, async (args) => {
      const file = await builder.resolve(args.path.slice(prefix.length), { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer });
      return file.errors.length > 0 ? { errors: file.errors } : { path: file.path, namespace: 'bundled-source' };
    });
    builder.onLoad({ filter: /.*/, namespace: 'bundled-source' }, async (args) => {
      const { target, minify, tsconfig, define, platform } = builder.initialOptions;
      const bundled = await builder.esbuild.build({
        entryPoints: [args.path],
        bundle: true,
        write: false,
        metafile: true,
        format: 'cjs',
        platform,
        target,
        minify,
        tsconfig,
        define,
        keepNames: true,
        legalComments: 'none',
        logLevel: 'warning',
        plugins: [workspaceModulesArePure],
      });
      // Named in its stack traces as the file it came from.
      const text = `${bundled.outputFiles[0].text}//# sourceURL=${relative(process.cwd(), args.path)}\n`;
      return { contents: `export default ${JSON.stringify(text)};`, loader: 'js', watchFiles: Object.keys(bundled.metafile.inputs).map((input) => resolve(input)) };
    });
  },
};

export default {
  define: { WORDBATCH_BUILD_VERSION: JSON.stringify(buildVersion()) },
  // The executor writes .cjs for the cjs format unless told .js: the images run main.js.
  outExtension: { '.js': '.js' },
  sourcemap: true,
  keepNames: true,
  // Licence notices of everything bundled go to main.js.LEGAL.txt beside the bundle.
  legalComments: 'external',
  logLevel: 'warning',
  // The report reads Chart.js's browser build from node_modules to inline it in its HTML
  // (libs/report/src/chart-library.ts); it is never code that a bundle runs.
  external: ['chart.js'],
  plugins: [workspaceModulesArePure, bundledSource],
};
