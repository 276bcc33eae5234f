export { combineFlags, COMMON_FLAG_NAMES, COMMON_FLAGS, flagName, formatCommandLine, omitFlags, parseCommandLine } from './command-line';
export type { CommandLine, EnvironmentVariable, Flag, FlagSet, FlagValues } from './command-line';
export { flag } from './flag-kinds';
export { parseChoiceFlag, parseIntegerFlag, parseS3Flag, parseSizeFlag, requireFlag } from './flags';
export { renderCommonOptions, renderFlagTable, renderHelp } from './help';
export { editDistance, nearestName } from './suggest';
