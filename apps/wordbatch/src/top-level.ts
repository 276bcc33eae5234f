import { BUILD_VERSION, leadingAwsFlags, nearestName, renderCommonOptions } from '@wordbatch/cli';
import { STAGE_NAMES } from '@wordbatch/pipeline';

/** The commands of `wordbatch`, in the order help lists them. */
export const COMMANDS = [
  { name: 'local', summary: 'run the whole pipeline on this machine against an embedded S3 server (npm start)' },
  { name: 'submit', summary: 'run the pipeline on AWS Batch (or one stage of it)' },
  { name: 'status', summary: 'the state of a run on AWS Batch; its outcome as the exit code' },
  { name: 'retry-failed', summary: 're-run only what failed in a finished run, then merge' },
  { name: 'report', summary: 'one self-contained HTML page about a finished run (chart, totals, shards)' },
  { name: 'plan', summary: 'stage program: list a source prefix and write a sharded plan' },
  { name: 'migrate', summary: 'stage program: count the words of one shard of a plan' },
  { name: 'merge', summary: 'stage program: combine every shard result of a plan and rank the words' },
] as const;

export type CommandName = (typeof COMMANDS)[number]['name'];

export const TOP_LEVEL_HELP = `wordbatch: word frequency over millions of files in S3, fanned out on AWS Batch

Usage:
  wordbatch COMMAND [options]          (from a clone: npx wordbatch …, or npm -s start -- … for local)
  wordbatch help COMMAND               the same as wordbatch COMMAND --help

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(14)}${command.summary}`).join('\n')}

Common options (every command; the AWS CLI's also before it, as in \`aws --profile NAME s3 ls\`):
${renderCommonOptions()}
Examples:
  npx wordbatch local ~/books --top 20
  npx wordbatch local ./logs --format json | jq '.words[:5]'
  npx wordbatch submit --queue wordbatch-queue --source s3://corpus/books/ --destination s3://results/out/ --shards 200 --wait
  npx wordbatch status --job JOB_ID --wait

stdout carries results only (logs and progress go to stderr), so output can be piped.
Exit codes (every command): 0 ok, 1 a bug, 2 bad usage, 3 missing or changed input, 4 access denied,
5 incomplete results / failed run, 6 this machine lacks something (a container engine on PATH,
a running Docker daemon), 75 transient (retry), 130 interrupted (Ctrl-C), 143 stopped by SIGTERM.
`;

export type TopLevelAction =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version'; readonly text: string }
  | { readonly kind: 'error'; readonly text: string }
  | { readonly kind: 'command'; readonly command: CommandName; readonly argv: readonly string[] };

export function isStageCommand(command: CommandName): command is (typeof STAGE_NAMES)[number] {
  return (STAGE_NAMES as readonly string[]).includes(command);
}

/** What `wordbatch ARGS` asks for: top-level help or version, a command, or a one-line error. */
export function chooseCommand(argv: readonly string[]): TopLevelAction {
  // `wordbatch --profile dev status …`, as `aws --profile dev s3 ls`: the AWS CLI's flags may come
  // before the command; the command takes them (they may stand anywhere among its own).
  const position = leadingAwsFlags(argv);
  const leading = argv.slice(0, position);
  if (leading.length > 0 && position < argv.length && !argv[position].startsWith('-')) {
    const chosen = chooseCommand(argv.slice(position));
    return chosen.kind === 'command' ? { ...chosen, argv: [...chosen.argv, ...leading] } : chosen;
  }
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return { kind: 'help', text: TOP_LEVEL_HELP };
  if (first === '--version') return { kind: 'version', text: `wordbatch ${BUILD_VERSION}\n` };
  if (first === 'help') {
    if (rest.length === 0) return { kind: 'help', text: TOP_LEVEL_HELP };
    return chooseCommand([rest[0], '--help']);
  }
  const command = COMMANDS.find((candidate) => candidate.name === first);
  if (command === undefined) {
    const nearest = nearestName(first, COMMANDS.map((candidate) => candidate.name));
    const hint = nearest ? `did you mean ${nearest}? ` : '';
    return { kind: 'error', text: `wordbatch: error: unknown command "${first}" (${hint}commands: ${COMMANDS.map((candidate) => candidate.name).join(', ')}; see \`wordbatch --help\`)\n` };
  }
  return { kind: 'command', command: command.name, argv: rest };
}
