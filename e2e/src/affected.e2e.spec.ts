// What `nx affected` selects after a change to each lib, read from the project graph, against
// the README's table; and `nx affected -t container-build` run for real in a scratch clone with
// one lib edited, so the images a change rebuilds are exactly the stages that import it.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
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
});
