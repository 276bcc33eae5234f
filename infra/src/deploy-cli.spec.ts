import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// infra:deploy runs the cdktf CLI from its own locked install (infra/deploy-cli), not from the
// workspace's node_modules: these checks keep that install and the workspace's cdktf on one
// version, and the deploy target on that install.
const infraRoot = join(__dirname, '..');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('the pinned deploy CLI (infra/deploy-cli)', () => {
  const workspace = readJson(join(infraRoot, '..', 'package.json'));
  const manifest = readJson(join(infraRoot, 'deploy-cli', 'package.json'));
  const lock = readJson(join(infraRoot, 'deploy-cli', 'package-lock.json'));

  it('pins cdktf-cli exactly, at the cdktf version the stack is written against', () => {
    const cdktf: string = workspace.devDependencies.cdktf;
    expect(cdktf).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.devDependencies).toEqual({ 'cdktf-cli': cdktf });
    expect(lock.packages['node_modules/cdktf-cli'].version).toBe(cdktf);
    // The CLI synthesizes with its own cdktf: the same release as the one the stack imports.
    expect(lock.packages['node_modules/cdktf'].version).toBe(cdktf);
  });

  it('is what infra:deploy installs (npm ci, locked) and runs, from infra/', () => {
    const deploy = readJson(join(infraRoot, 'project.json')).targets.deploy;
    expect(deploy.options.cwd).toBe('infra');
    expect(deploy.options.command).toContain('npm ci --prefix deploy-cli');
    expect(deploy.options.command).toMatch(/&& deploy-cli\/node_modules\/\.bin\/cdktf deploy$/);
    expect(deploy.dependsOn).toEqual(['bundle']);
  });
});
