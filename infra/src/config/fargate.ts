/**
 * The vCPU and memory pairs Fargate accepts. Batch rejects any other pair only at
 * RegisterJobDefinition time, i.e. in the middle of `terraform apply`; checking them at
 * synth turns that into an error that names the offending setting.
 */
function range(fromMiB: number, toMiB: number, stepMiB: number): number[] {
  const values: number[] = [];
  for (let memory = fromMiB; memory <= toMiB; memory += stepMiB) values.push(memory);
  return values;
}

const FARGATE_MEMORY_BY_VCPUS: ReadonlyMap<number, readonly number[]> = new Map([
  [0.25, [512, 1024, 2048]],
  [0.5, range(1024, 4096, 1024)],
  [1, range(2048, 8192, 1024)],
  [2, range(4096, 16384, 1024)],
  [4, range(8192, 30720, 1024)],
  [8, range(16384, 61440, 4096)],
  [16, range(32768, 122880, 8192)],
]);

export const FARGATE_VCPUS: readonly number[] = [...FARGATE_MEMORY_BY_VCPUS.keys()];

/** The memory sizes (MiB) Fargate allows with this many vCPUs; empty if the vCPUs are invalid. */
export function fargateMemoryOptions(vcpus: number): readonly number[] {
  return FARGATE_MEMORY_BY_VCPUS.get(vcpus) ?? [];
}

/** Describes the allowed memory for `vcpus` compactly, for an error message. */
export function describeFargateMemory(vcpus: number): string {
  const options = fargateMemoryOptions(vcpus);
  if (options.length <= 3) return options.join(', ');
  return `${options[0]} to ${options[options.length - 1]} in steps of ${options[1] - options[0]}`;
}
