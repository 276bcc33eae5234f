import nx from '@nx/eslint-plugin';
import importCycles from './tools/eslint/no-import-cycle.cjs';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/cdktf.out', '**/.wordbatch', 'tmp'],
  },
  {
    // Circles between files of one project (Nx refuses those between projects), type-only
    // imports included: see tools/eslint/no-import-cycle.cjs for why not import-x/no-cycle.
    files: ['**/*.ts'],
    plugins: { wordbatch: importCycles },
    rules: { 'wordbatch/no-import-cycle': 'error' },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          // The stages load their S3 half on demand so --help starts fast; the modules that
          // run after that point import it statically, which is the intent.
          checkDynamicDependenciesExceptions: ['@wordbatch/s3-store', '@wordbatch/plan-io', '@wordbatch/report'],
          depConstraints: [
            // Apps are leaves: they may use libs, never another app.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            // Infrastructure reads the shared pipeline description, never app code.
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib'] },
            // word-count, plan-schema and friends know nothing of S3 clients.
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // Errors, exit codes and backoff are the contract every other project leans on: they
            // import nothing at all, neither a lib nor a package.
            { sourceTag: 'deps:none', onlyDependOnLibsWithTags: [], bannedExternalImports: ['*'] },
            // The CLI plumbing (flags, logger, stage runner) is for apps: a lib or the stack that
            // needs an error or an exit code takes it from @wordbatch/errors.
            { sourceTag: 'type:lib', notDependOnLibsWithTags: ['role:cli'] },
            { sourceTag: 'type:infra', notDependOnLibsWithTags: ['role:cli'] },
            // A stage program reads the contract (plan-schema), never the submitter's lib: an image
            // must not change because the way runs are submitted did. Nor the report (and its
            // charting library), which only the wordbatch CLI writes.
            { sourceTag: 'scope:stage', notDependOnLibsWithTags: ['role:submitter', 'scope:report'] },
          ],
        },
      ],
    },
  },
];
