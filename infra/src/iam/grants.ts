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
}

/**
 * What each stage's job role may do in S3, and nothing more:
 *
 * | stage   | source bucket      | destination bucket                                        |
 * |---------|--------------------|-----------------------------------------------------------|
 * | plan    | ListBucket         | GetObject plans/*, PutObject plans/* and out/* (plan.json)  |
 * | migrate | ListBucket, GetObject * | ListBucket (plans/, out/ only), GetObject plans/* and out/*, PutObject out/* |
 * | merge   | -                  | ListBucket (out/ only), GetObject plans/* and out/*, PutObject out/* |
 *
 * plan only lists the source (the listing carries sizes and ETags). migrate never lists for
 * its own sake, but without ListBucket S3 answers 403 instead of 404 for a missing object,
 * which would turn "deleted since planned" (exit 3) into "access denied" (exit 4). migrate
 * reads out/* for a retry's index map. Nobody deletes.
 */
export function stageGrants(
  buckets: BucketArns,
  prefixes: ObjectPrefixes,
): Readonly<Record<StageName, readonly PolicyStatement[]>> {
  const plans = `${buckets.destination}/${prefixes.plans}*`;
  const results = `${buckets.destination}/${prefixes.results}*`;
  return {
    plan: [
      { sid: 'ListSource', actions: ['s3:ListBucket'], resources: [buckets.source] },
      { sid: 'ReadPlans', actions: ['s3:GetObject'], resources: [plans] },
      { sid: 'WritePlans', actions: ['s3:PutObject'], resources: [plans, results] },
    ],
    migrate: [
      { sid: 'ListSource', actions: ['s3:ListBucket'], resources: [buckets.source] },
      {
        sid: 'ListPlansAndResults',
        actions: ['s3:ListBucket'],
        resources: [buckets.destination],
        conditions: { StringLike: { 's3:prefix': [`${prefixes.plans}*`, `${prefixes.results}*`] } },
      },
      { sid: 'ReadSource', actions: ['s3:GetObject'], resources: [`${buckets.source}/*`] },
      { sid: 'ReadPlansAndResults', actions: ['s3:GetObject'], resources: [plans, results] },
      { sid: 'WriteResults', actions: ['s3:PutObject'], resources: [results] },
    ],
    merge: [
      {
        sid: 'ListResults',
        actions: ['s3:ListBucket'],
        resources: [buckets.destination],
        conditions: { StringLike: { 's3:prefix': [`${prefixes.results}*`] } },
      },
      { sid: 'ReadPlansAndResults', actions: ['s3:GetObject'], resources: [plans, results] },
      { sid: 'WriteResults', actions: ['s3:PutObject'], resources: [results] },
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
