import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { STAGE_NAMES, STAGES, type StageName } from '@wordbatch/pipeline';
import { Construct } from 'constructs';
import type { ResourceNames } from '../naming';
import {
  type BucketArns,
  executionGrants,
  type ExecutionGrantTargets,
  type ObjectPrefixes,
  stageGrants,
} from './grants';
import { assumeRolePolicy, keptTags, policyDocument } from './policy';

export interface RolesProps {
  readonly names: ResourceNames;
  readonly accountId: string;
  /** "aws", or "aws-cn" / "aws-us-gov": the partition of the AWS-managed policy ARN. */
  readonly partition: string;
  readonly buckets: BucketArns;
  readonly prefixes: ObjectPrefixes;
  readonly execution: ExecutionGrantTargets;
  /** EC2 and Spot hosts need an instance role; Fargate has no host of ours. */
  readonly needsInstanceRole: boolean;
}

/**
 * The roles of a run: one execution role that ECS uses to start any stage's container,
 * one job role per stage that the stage's code runs as, and for EC2 hosts an instance role.
 * No service role: Batch uses its service-linked role.
 */
export class Roles extends Construct {
  readonly executionRole: IamRole;
  readonly jobRoles: Readonly<Record<StageName, IamRole>>;
  /** Instance profile ARN for EC2 and Spot compute environments. */
  readonly instanceProfileArn?: string;

  constructor(scope: Construct, id: string, props: RolesProps) {
    super(scope, id);
    const tasksTrust = assumeRolePolicy('ecs-tasks.amazonaws.com', props.accountId);

    this.executionRole = new IamRole(this, 'execution', {
      name: props.names.executionRole,
      description: 'Lets ECS pull the wordbatch stage images and write their logs',
      assumeRolePolicy: tasksTrust,
    });
    new IamRolePolicy(this, 'execution-policy', {
      role: this.executionRole.name,
      name: 'pull-images-write-logs',
      policy: policyDocument(executionGrants(props.execution)),
    });

    const grants = stageGrants(props.buckets, props.prefixes);
    const jobRoles = {} as Record<StageName, IamRole>;
    for (const stage of STAGE_NAMES) {
      jobRoles[stage] = new IamRole(this, `${stage}-job`, {
        name: props.names.jobRoles[stage],
        description: `wordbatch ${stage}: ${STAGES[stage].description}`,
        assumeRolePolicy: tasksTrust,
        tags: keptTags(grants[stage]),
      });
      new IamRolePolicy(this, `${stage}-job-policy`, {
        role: jobRoles[stage].name,
        name: `${stage}-s3`,
        policy: policyDocument(grants[stage]),
      });
    }
    this.jobRoles = jobRoles;

    if (props.needsInstanceRole) {
      const instanceRole = new IamRole(this, 'instance', {
        name: props.names.instanceRole,
        description: 'Lets the Batch EC2 hosts join the ECS cluster',
        assumeRolePolicy: assumeRolePolicy('ec2.amazonaws.com'),
      });
      new IamRolePolicyAttachment(this, 'instance-ecs', {
        role: instanceRole.name,
        policyArn: `arn:${props.partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role`,
      });
      this.instanceProfileArn = new IamInstanceProfile(this, 'instance-profile', {
        name: props.names.instanceRole,
        role: instanceRole.name,
      }).arn;
    }
  }
}
