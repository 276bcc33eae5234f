// What `nx affected` selects after a change to each lib, read from the project graph, against
// the README's table; `nx affected -t container-build` run for real in a scratch clone with one
// file edited, so the images a change rebuilds are exactly the stages it touches (through the
// libs they import, or the inputs their image targets name); and a stage generated there with
// `nx g @nx/node:app`, which must come out as the stages are and build with their settings.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProjectGraphAsync, type ProjectGraph } from '@nx/devkit';

const ROOT = join(__dirname, '..', '..');
const NX_ENV = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' };

/** Every project a change to `project` affects: itself and everything that depends on it, transitively. */
function affectedBy(graph: ProjectGraph, project: string): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const [source, dependencies] of Object.entries(graph.dependencies)) {
    for (const { target } of dependencies) if (graph.nodes[target]) dependents.set(target, [...(dependents.get(target) ?? []), source]);
  }
  const affected = new Set([project]);
  const queue = [project];
  while (queue.length > 0) {
    for (const dependent of dependents.get(queue.pop() as string) ?? []) {
      if (affected.has(dependent)) continue;
      affected.add(dependent);
      queue.push(dependent);
    }
  }
  return affected;
}

function withTarget(graph: ProjectGraph, projects: Iterable<string>, target: string): string[] {
  return [...projects].filter((project) => graph.nodes[project].data.targets?.[target] !== undefined).sort();
}

/** The README's table: changed lib → projects `nx affected -t build test` runs, and images. */
function readmeTable(): Map<string, { buildTest: string[]; images: string[] }> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### What `nx affected` selects'));
  const rows = new Map<string, { buildTest: string[]; images: string[] }>();
  for (const match of section.matchAll(/^\| `([a-z0-9-]+)` \| ([^|]*) \| ([^|]*) \|$/gm)) {
    const names = (cell: string) => [...cell.matchAll(/`([a-z0-9-]+)`/g)].map((name) => name[1]).sort();
    rows.set(match[1], { buildTest: names(match[2]), images: names(match[3]) });
  }
  return rows;
}

describe('nx affected over the project graph', () => {
  let graph: ProjectGraph;
  beforeAll(async () => {
    process.env['NX_DAEMON'] = 'false';
    graph = await createProjectGraphAsync({ exitOnError: true });
  });

  it('selects, for a change to each lib, what the README says', () => {
    const libs = Object.values(graph.nodes)
      .filter((node) => node.data.root.startsWith('libs/'))
      .map((node) => node.name)
      .sort();
    const table = readmeTable();
    expect([...table.keys()].sort()).toEqual(libs);
    for (const lib of libs) {
      const affected = affectedBy(graph, lib);
      const buildTest = [...new Set([...withTarget(graph, affected, 'build'), ...withTarget(graph, affected, 'test')])].sort();
      expect({ lib, ...table.get(lib) }).toEqual({ lib, buildTest, images: withTarget(graph, affected, 'container-build') });
    }
  });

  it('never rebuilds a stage image for a change to the submitter, the report or the stack', () => {
    for (const project of ['pipeline', 'report', 'infra']) {
      expect(withTarget(graph, affectedBy(graph, project), 'container-build')).toEqual([]);
    }
  });
});

describe('nx affected -t container-build in a scratch clone', () => {
  let clone: string;
  beforeAll(() => {
    clone = mkdtempSync(join(tmpdir(), 'wordbatch-affected-'));
    execFileSync('git', ['clone', '--quiet', '--shared', ROOT, clone]);
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
  });
  afterAll(() => rmSync(clone, { recursive: true, force: true }));

  const imagesAffectedBy = (file: string): string[] => {
    execFileSync('git', ['-C', clone, 'checkout', '--quiet', '--', '.']);
    appendFileSync(join(clone, file), '\n// an edit\n');
    const output = execFileSync('npx', ['nx', 'show', 'projects', '--affected', '--base=HEAD', '--withTarget=container-build', '--json'], {
      cwd: clone,
      env: NX_ENV,
      encoding: 'utf8',
    });
    return (JSON.parse(output) as string[]).sort();
  };

  it('rebuilds the images of the stages that import word-count after a change to it, and none after one to the report', () => {
    // plan imports it too, for the tokenizer names its command line accepts (libs/stage-commands).
    expect(imagesAffectedBy('libs/word-count/src/tokenizer.ts')).toEqual(['merge', 'migrate', 'plan']);
    expect(imagesAffectedBy('libs/report/src/render-html.ts')).toEqual([]);
  });

  it('rebuilds the images whose container-build inputs a change touches: one Dockerfile, or what every image is built with', () => {
    expect(imagesAffectedBy('apps/migrate/Dockerfile')).toEqual(['migrate']);
    // Outside every project: only the inputs named in nx.json (namedInputs.containerImage) reach them.
    expect(imagesAffectedBy('.dockerignore')).toEqual(['merge', 'migrate', 'plan']);
    expect(imagesAffectedBy('tools/containers/build-image.mjs')).toEqual(['merge', 'migrate', 'plan']);
  });

  it('runs the end-to-end suites, and builds no image, after a change to the documents folder', () => {
    const documents = readdirSync(join(clone, 'documents')).sort();
    expect(imagesAffectedBy(join('documents', documents[0]))).toEqual([]);
    const affected = JSON.parse(
      execFileSync('npx', ['nx', 'show', 'projects', '--affected', '--base=HEAD', '--json'], { cwd: clone, env: NX_ENV, encoding: 'utf8' }),
    ) as string[];
    expect(affected.sort()).toEqual(['e2e', 'e2e-images']);
  });
});

/** A target's configuration with the generated project's name and root put back to `stage`'s. */
function renamed(value: unknown, from: string, to: string): unknown {
  return JSON.parse(JSON.stringify(value).split(`apps/${from}`).join(`apps/${to}`).split(`"${from}:`).join(`"${to}:`));
}

describe('a stage generated with nx g @nx/node:app in a scratch clone', () => {
  let clone: string;
  beforeAll(() => {
    clone = mkdtempSync(join(tmpdir(), 'wordbatch-generate-'));
    execFileSync('git', ['clone', '--quiet', '--shared', ROOT, clone]);
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
    // nx.json's generator defaults decide the rest (esbuild, project.json, no package.json changes).
    execFileSync('npx', ['nx', 'g', '@nx/node:app', 'apps/fourth', '--no-interactive'], { cwd: clone, env: NX_ENV, stdio: 'ignore' });
  }, 300_000);
  afterAll(() => rmSync(clone, { recursive: true, force: true }));

  const targetsOf = (project: string) =>
    (JSON.parse(readFileSync(join(clone, 'apps', project, 'project.json'), 'utf8')) as { targets: Record<string, Record<string, unknown>> }).targets;

  it('gets the stages\' build and serve targets, but for the edits the docs list for one-file bundles', () => {
    const plan = targetsOf('plan');
    const fourth = targetsOf('fourth');
    expect(fourth['serve']).toEqual(renamed(plan['serve'], 'plan', 'fourth'));
    // The generator writes a transpile-only build (bundle: false, a package.json to install
    // from); a stage image holds one file, so a stage takes these edits (docs/containers.md).
    const build = fourth['build'] as { options: Record<string, unknown>; configurations: Record<string, Record<string, unknown>> };
    expect(build.options).toMatchObject({ bundle: false, generatePackageJson: true, assets: ['apps/fourth/src/assets'] });
    build.options['bundle'] = true;
    build.options['assets'] = [];
    delete build.options['generatePackageJson'];
    delete build.options['esbuildOptions'];
    delete build.configurations['production']['esbuildOptions'];
    expect(fourth['build']).toEqual(renamed(plan['build'], 'plan', 'fourth'));
    // What it also makes serves a build that installs its dependencies; a one-file bundle has none.
    expect(Object.keys(fourth).filter((target) => plan[target] === undefined).sort()).toEqual(['copy-workspace-modules', 'prune', 'prune-lockfile']);
    writeFileSync(join(clone, 'apps', 'fourth', 'project.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(clone, 'apps', 'fourth', 'project.json'), 'utf8')), targets: { build: fourth['build'], serve: fourth['serve'] } }, null, 2));
  });

  it('then builds, with the settings every app shares, one file that runs alone', () => {
    execFileSync('npx', ['nx', 'run', 'fourth:build', '--skip-nx-cache'], { cwd: clone, env: NX_ENV, stdio: 'ignore' });
    expect(readdirSync(join(clone, 'dist', 'apps', 'fourth')).sort()).toEqual(['main.js', 'main.js.map']);
    const bundle = readFileSync(join(clone, 'dist', 'apps', 'fourth', 'main.js'), 'utf8');
    expect(bundle).toContain('//# sourceMappingURL=main.js.map'); // tools/build/esbuild.config.mjs: sourcemap
    expect(bundle.split('\n').length).toBeLessThan(5); // minified (nx.json targetDefaults)
    const alone = mkdtempSync(join(tmpdir(), 'wordbatch-fourth-'));
    try {
      writeFileSync(join(alone, 'main.js'), bundle);
      expect(execFileSync(process.execPath, [join(alone, 'main.js')], { cwd: alone, encoding: 'utf8' })).toContain('Hello World');
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
    expect(existsSync(join(clone, 'dist', 'apps', 'fourth', 'package.json'))).toBe(false);
  }, 300_000);
});
