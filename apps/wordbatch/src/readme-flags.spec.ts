import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderFlagTable, type CommandLine, type FlagSet } from '@wordbatch/cli';
import { MERGE_COMMAND, MIGRATE_COMMAND, PLAN_COMMAND } from '@wordbatch/stage-commands';
import { RETRY_FAILED_COMMAND, STATUS_COMMAND } from './aws/run-options';
import { SUBMIT_COMMAND } from './aws/submit-options';
import { LOCAL_COMMAND } from './local/local-options';
import { REPORT_COMMAND } from './report/report-command';

/**
 * The README's flag tables are the definitions, rendered: this test fails when they drift.
 * `WORDBATCH_UPDATE_README=1 npx nx test wordbatch --testFile=readme-flags` rewrites them.
 */
const TABLES: Readonly<Record<string, CommandLine<FlagSet>>> = {
  plan: PLAN_COMMAND,
  migrate: MIGRATE_COMMAND,
  merge: MERGE_COMMAND,
  local: LOCAL_COMMAND as unknown as CommandLine<FlagSet>,
  submit: SUBMIT_COMMAND as unknown as CommandLine<FlagSet>,
  status: STATUS_COMMAND as unknown as CommandLine<FlagSet>,
  'retry-failed': RETRY_FAILED_COMMAND as unknown as CommandLine<FlagSet>,
  report: REPORT_COMMAND as unknown as CommandLine<FlagSet>,
};

const README = join(__dirname, '..', '..', '..', 'README.md');

function block(name: string): RegExp {
  return new RegExp(`(<!-- flags:${name} -->\\n)([\\s\\S]*?)(<!-- /flags:${name} -->)`);
}

describe('README flag tables', () => {
  let readme = readFileSync(README, 'utf8');
  afterAll(() => {
    if (process.env['WORDBATCH_UPDATE_README'] === '1') writeFileSync(README, readme);
  });

  it.each(Object.keys(TABLES))('shows the flags of %s as its definition has them', (name) => {
    const expected = renderFlagTable(TABLES[name]);
    const found = block(name).exec(readme);
    if (process.env['WORDBATCH_UPDATE_README'] === '1' && found) {
      readme = readme.replace(block(name), (_match, open: string, _old: string, close: string) => `${open}${expected}${close}`);
      return;
    }
    expect(found?.[2]).toBe(expected);
  });
});
