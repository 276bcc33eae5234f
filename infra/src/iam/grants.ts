import type { StageName } from '@wordbatch/pipeline';
import type { PolicyStatement } from './policy';

export interface BucketArns {
  readonly source: string;
  readonly destination: string;
}

export interface ObjectPrefixes {
  /** Where plan writes the plan header and the per-shard item lists: "plans/". */
  readonly plans: string;
  /** Where shard results, the merged result and a copy of the plan header go: "out/". */
  readonly results: string;
  /** Where plan reads `--manifest` (S3 Inventory manifest and data files) and `--keys` lists: "inputs/". */
  readonly inputs: string;
}

/**
 * Why a grant stays although a clean run may never exercise it. The rehearsal fails on any
 * granted-but-unused permission that has no such reason; the roles carry these reasons as
 * tags (`kept:<Sid>`), so they travel with the deployed role.
 */
const WHY_KEPT = {
  abortMultipart:
    'lib-storage aborts a failed multipart upload before it rethrows: a denied abort turns a transient error into AccessDenied and exit 4',
  listFor404:
    'S3 answers 404 and exit 3 rather than 403 and exit 4 for a missing object only to a caller allowed to ListBucket the bucket',
  readInputs: 'plan reads an S3 Inventory manifest and its data files or a key list only when run with --manifest or --keys: never with --source',
  headNamed:
    'plan sends HeadObject only for an object a manifest or key list names without size or ETag: a --source run takes both from the listing',
  readVersions:
    'HeadObject and GetObject with a versionId need GetObjectVersion: a plan records versions only from a manifest or key list naming them',
} as const;

/**
 * What each stage's job role may do in S3, and nothing more:
 *
 * | stage   | source bucket           | destination bucket                                                       |
 * |---------|-------------------------|--------------------------------------------------------------------------|
 * | plan    | ListBucket, GetObject + GetObjectVersion * | ListBucket, GetObject inputs/*, PutObject + AbortMultipartUpload plans/* and out/* (plan.json) |
 * | migrate | ListBucket, GetObject + GetObjectVersion * | ListBucket, GetObject plans/* and out/*, PutObject + AbortMultipartUpload out/* |
 * | merge   | -                       | ListBucket, GetObject plans/* and out/*, PutObject + AbortMultipartUpload out/* |
 *
 * plan with --source only lists the source (the listing carries sizes and ETags). With
 * --manifest or --keys it reads the report or list from the destination's inputs/ (a prefix
 * of wordbatch's own bucket, configurable, rather than anywhere: the role can read no other
 * bucket's objects) and sends HeadObject for a named object lacking size or ETag, which S3
 * authorizes as GetObject (GetObjectVersion with a versionId), so plan holds both on the
 * source's objects, like migrate, which GETs the version a plan records.
 * migrate never lists either bucket for its own sake, but without ListBucket S3 answers
 * 403 instead of 404 for a missing object, which would turn "deleted since planned" or
 * "no such plan" (exit 3) into "access denied" (exit 4). The destination's ListBucket has no
 * s3:prefix condition: S3 decides 404 against 403 with the GetObject request's context,
 * which has no s3:prefix, so a prefix-conditioned grant would never give the 404. The
 * destination holds only wordbatch's plans/ and out/, so listing it reveals nothing else.
 * Every writer may abort its own multipart uploads (lib-storage's cleanup on failure);
 * lib-storage never lists parts, so ListMultipartUploadParts is not granted. Nobody deletes.
 */
export function stageGrants(
  buckets: BucketArns,
  prefixes: ObjectPrefixes,
): Readonly<Record<StageName, readonly PolicyStatement[]>> {
  const plans = `${buckets.destination}/${prefixes.plans}*`;
  const results = `${buckets.destination}/${prefixes.results}*`;
  const sourceObjects = `${buckets.source}/*`;
  const readSourceVersions: PolicyStatement = {
    sid: 'ReadSourceVersions',
    actions: ['s3:GetObjectVersion'],
    resources: [sourceObjects],
    whyKept: WHY_KEPT.readVersions,
  };
  const listDestination: PolicyStatement = {
    sid: 'ListDestination',
    actions: ['s3:ListBucket'],
    resources: [buckets.destination],
    whyKept: WHY_KEPT.listFor404,
  };
  const write = (sid: string, resources: readonly string[]): PolicyStatement[] => [
    { sid, actions: ['s3:PutObject'], resources },
    { sid: `${sid}AbortMultipart`, actions: ['s3:AbortMultipartUpload'], resources, whyKept: WHY_KEPT.abortMultipart },
  ];
  return {
    plan: [
      { sid: 'ListSource', actions: ['s3:ListBucket'], resources: [buckets.source] },
      // A mistyped --manifest or --keys must be 404 (exit 3), not 403.
      listDestination,
      {
        sid: 'ReadInputs',
        actions: ['s3:GetObject'],
        resources: [`${buckets.destination}/${prefixes.inputs}*`],
        whyKept: WHY_KEPT.readInputs,
      },
      { sid: 'HeadNamedSource', actions: ['s3:GetObject'], resources: [sourceObjects], whyKept: WHY_KEPT.headNamed },
      readSourceVersions,
      ...write('WritePlans', [plans, results]),
    ],
    migrate: [
      // Not for listing: a source object deleted since planning must be 404 (exit 3), not 403.
      { sid: 'ListSource', actions: ['s3:ListBucket'], resources: [buckets.source], whyKept: WHY_KEPT.listFor404 },
      listDestination,
      { sid: 'ReadSource', actions: ['s3:GetObject'], resources: [sourceObjects] },
      readSourceVersions,
      { sid: 'ReadPlansAndResults', actions: ['s3:GetObject'], resources: [plans, results] },
      ...write('WriteResults', [results]),
    ],
    merge: [
      listDestination,
      { sid: 'ReadPlansAndResults', actions: ['s3:GetObject'], resources: [plans, results] },
      ...write('WriteResults', [results]),
    ],
  };
}

export interface ExecutionGrantTargets {
  readonly repositoryArns: readonly string[];
  readonly logGroupArn: string;
}

/** What ECS needs to start a stage's container: pull its image and ship its logs. */
export function executionGrants(targets: ExecutionGrantTargets): readonly PolicyStatement[] {
  return [
    // GetAuthorizationToken has no resource-level permissions: "*" is its only form.
    { sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
    {
      sid: 'PullStageImages',
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      resources: targets.repositoryArns,
    },
    {
      // "<log group ARN>:*" covers the group (as CreateLogStream checks it) and its streams.
      sid: 'WriteLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${targets.logGroupArn}:*`],
    },
  ];
}
