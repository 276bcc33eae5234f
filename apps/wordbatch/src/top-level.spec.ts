import { chooseCommand, TOP_LEVEL_HELP } from './top-level';

describe('chooseCommand: what `wordbatch ARGS` asks for', () => {
  it('answers no arguments, --help, -h and help with the top-level help', () => {
    for (const argv of [[], ['--help'], ['-h'], ['help']]) expect(chooseCommand(argv)).toEqual({ kind: 'help', text: TOP_LEVEL_HELP });
  });

  it('turns `help COMMAND` into COMMAND --help', () => {
    expect(chooseCommand(['help', 'status'])).toEqual({ kind: 'command', command: 'status', argv: ['--help'] });
  });

  it('takes the AWS CLI flags before the command, as `aws --profile dev s3 ls` does, and hands them to it', () => {
    expect(chooseCommand(['--profile', 'dev', '--region=eu-west-1', '--quiet', 'status', '--job', 'x'])).toEqual({
      kind: 'command',
      command: 'status',
      argv: ['--job', 'x', '--profile', 'dev', '--region=eu-west-1', '--quiet'],
    });
  });

  it('is one line pointing at --help for an unknown command, with the nearest one', () => {
    const action = chooseCommand(['locl']);
    expect(action.kind).toBe('error');
    expect('text' in action && action.text).toMatch(/^wordbatch: error: unknown command "locl" \(did you mean local\? .*see `wordbatch --help`\)\n$/);
    expect(chooseCommand(['--profile', 'dev']).kind).toBe('error');
  });
});
