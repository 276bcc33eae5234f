/**
 * The stages of a wordbatch run, shared by the local executor, the AWS Batch submitter
 * and the infrastructure, so that a stage's name, image and sizing are written once.
 */
export const STAGE_NAMES = ['plan', 'migrate', 'merge'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export interface StageCatalogEntry {
  readonly name: StageName;
  /** What the stage does, for help text and resource descriptions. */
  readonly description: string;
  /** Default vCPUs and memory (MiB) of the stage's Batch job definition. */
  readonly vcpus: number;
  readonly memoryMiB: number;
  /** Default job timeout in seconds. */
  readonly timeoutSeconds: number;
  /** Whether the stage runs as an array job (one child per shard). */
  readonly array: boolean;
}

export const STAGES: Readonly<Record<StageName, StageCatalogEntry>> = {
  plan: {
    name: 'plan',
    description: 'Lists the source prefix and writes a sharded plan',
    vcpus: 1,
    memoryMiB: 2048,
    timeoutSeconds: 3600,
    array: false,
  },
  migrate: {
    name: 'migrate',
    description: 'Counts the words of one shard of the plan',
    vcpus: 2,
    memoryMiB: 4096,
    timeoutSeconds: 6 * 3600,
    array: true,
  },
  merge: {
    name: 'merge',
    description: 'Combines every shard result and ranks the words',
    vcpus: 1,
    memoryMiB: 4096,
    timeoutSeconds: 3600,
    array: false,
  },
};
