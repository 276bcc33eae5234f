// The import-circle lint rule (tools/eslint/no-import-cycle.cjs), run as developers and CI run it:
// the eslint binary over real files. It must catch the two shapes of circle wordbatch once had,
// both with a type-only arrow (which import-x/no-cycle would let through), stay quiet once the
// shared types move to a module of their own, and be switched on for every project's .ts files.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const ESLINT = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

interface LintResult {
  filePath: string;
  messages: Array<{ ruleId: string | null; message: string; line: number }>;
}

function eslint(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [ESLINT, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('wordbatch/no-import-cycle', () => {
  let dir: string;
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

  /** file name → the rule's messages in it, "line: message". */
  function lintFixture(): Record<string, string[]> {
    const run = eslint(dir, ['--format', 'json', '.']);
    expect(run.stderr).toBe('');
    const results = JSON.parse(run.stdout) as LintResult[];
    const found: Record<string, string[]> = {};
    for (const result of results) {
      const messages = result.messages.map((message) => `${message.line}: ${message.ruleId}: ${message.message}`);
      if (messages.length > 0) found[result.filePath.slice(dir.length + 1)] = messages;
    }
    expect(run.status).toBe(Object.keys(found).length === 0 ? 0 : 1);
    return found;
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wordbatch-cycles-'));
    write(
      'eslint.config.mjs',
      [
        `import parser from ${JSON.stringify(join(ROOT, 'node_modules', '@typescript-eslint', 'parser', 'dist', 'index.js'))};`,
        `import cycles from ${JSON.stringify(join(ROOT, 'tools', 'eslint', 'no-import-cycle.cjs'))};`,
        `export default [{ files: ['**/*.ts'], languageOptions: { parser }, plugins: { wordbatch: cycles }, rules: { 'wordbatch/no-import-cycle': 'error' } }];`,
      ].join('\n'),
    );
    // wordbatch's old aws circle: the commands load the actions on demand, the actions took a type from the commands.
    write('commands.ts', `import type { Sleep } from './batch';\nexport interface Deps { sleep: Sleep }\nexport const run = async (deps: Deps) => (await import('./actions')).submit(deps);\n`);
    write('actions.ts', `import type { Deps } from './commands';\nexport function submit(deps: Deps): Deps { return deps; }\n`);
    // migrate's old counter circle, three files long: the pool starts the threads, which took the pool's interfaces.
    write('pool.ts', `import { Threads } from './threads';\nexport interface Counter { count(): number }\nexport const start = (): Counter => new Threads();\n`);
    write('threads.ts', `import { SMALL } from './small';\nexport class Threads { count(): number { return SMALL; } }\n`);
    write('small.ts', `export type { Counter } from './pool';\nexport const SMALL = 1;\n`);
    // No circle: imports that only go one way.
    write('batch.ts', `export type Sleep = (ms: number) => Promise<void>;\n`);
    write('main.ts', `import { run } from './commands';\nimport { start } from './pool';\nexport const both = [run, start];\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports every import that leads back to its file, type-only imports, re-exports and import() included', () => {
    const rule = 'wordbatch/no-import-cycle';
    expect(lintFixture()).toEqual({
      'actions.ts': [`1: ${rule}: Import circle: actions.ts → commands.ts → actions.ts. Move what both sides need into a module of its own (types into a types-only module).`],
      'commands.ts': [`3: ${rule}: Import circle: commands.ts → actions.ts → commands.ts. Move what both sides need into a module of its own (types into a types-only module).`],
      'pool.ts': [`1: ${rule}: Import circle: pool.ts → threads.ts → small.ts → pool.ts. Move what both sides need into a module of its own (types into a types-only module).`],
      'small.ts': [`1: ${rule}: Import circle: small.ts → pool.ts → threads.ts → small.ts. Move what both sides need into a module of its own (types into a types-only module).`],
      'threads.ts': [`1: ${rule}: Import circle: threads.ts → small.ts → pool.ts → threads.ts. Move what both sides need into a module of its own (types into a types-only module).`],
    });
  });

  it('is quiet once the shared types live in a module of their own', () => {
    write('deps.ts', `import type { Sleep } from './batch';\nexport interface Deps { sleep: Sleep }\n`);
    write('commands.ts', `import type { Deps } from './deps';\nexport const run = async (deps: Deps) => (await import('./actions')).submit(deps);\n`);
    write('actions.ts', `import type { Deps } from './deps';\nexport function submit(deps: Deps): Deps { return deps; }\n`);
    write('counter.ts', `export interface Counter { count(): number }\n`);
    write('pool.ts', `import type { Counter } from './counter';\nimport { Threads } from './threads';\nexport const start = (): Counter => new Threads();\n`);
    write('small.ts', `export const SMALL = 1;\n`);
    expect(lintFixture()).toEqual({});
  });

  it("is on, as an error, for every project's TypeScript in the workspace's own config", () => {
    const files = ['apps/migrate/src/counter.ts', 'apps/wordbatch/src/aws/commands.ts', 'libs/errors/src/index.ts', 'infra/src/stack.ts', 'e2e/src/harness.ts'];
    // One process reads the config once (eslint --print-config would load it per file).
    const script = `import { ESLint } from 'eslint';
const eslint = new ESLint({ cwd: process.cwd() });
const rules = {};
for (const file of JSON.parse(process.argv[1])) rules[file] = (await eslint.calculateConfigForFile(file)).rules['wordbatch/no-import-cycle'];
console.log(JSON.stringify(rules));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(files)], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(Object.fromEntries(files.map((file) => [file, [2]])));
  });
});
