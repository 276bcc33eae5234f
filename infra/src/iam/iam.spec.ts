import { type Block, ref, synthStack, type Synthesized } from '../testing/synth';

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
  Principal?: unknown;
}

const asList = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

function statementsOf(policy: unknown): Statement[] {
  return (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;
}

/** "Allow s3:GetObject <resource>" for every action × resource, plus the condition if any. */
function grantsOf(statements: Statement[]): string[] {
  return statements.flatMap((statement) =>
    asList(statement.Action).flatMap((action) =>
      asList(statement.Resource).map((resource) =>
        [statement.Effect, action, resource, statement.Condition ? JSON.stringify(statement.Condition) : '']
          .join(' ')
          .trim(),
      ),
    ),
  );
}

/** Every permission a role holds: its inline policies and its managed policy attachments. */
function permissionsOfRole(tf: Synthesized, roleName: string): string[] {
  const role = tf.find('aws_iam_role', 'name', roleName);
  const roleRef = ref('aws_iam_role', role.id, 'name');
  const inline = Object.values(tf.resources('aws_iam_role_policy')).filter((p) => p.role === roleRef);
  const attached = Object.values(tf.resources('aws_iam_role_policy_attachment')).filter(
    (a) => a.role === roleRef,
  );
  return [
    ...inline.flatMap((policy) => grantsOf(statementsOf(policy.policy))),
    ...attached.map((attachment) => `Attached ${String(attachment.policy_arn)}`),
  ].sort();
}

function allPolicyDocuments(tf: Synthesized): { where: string; statements: Statement[] }[] {
  const documents: { where: string; statements: Statement[] }[] = [];
  const collect = (type: string, attribute: string) => {
    for (const [id, body] of Object.entries(tf.resources(type))) {
      documents.push({ where: `${type}.${id}.${attribute}`, statements: statementsOf(body[attribute]) });
    }
  };
  collect('aws_iam_role_policy', 'policy');
  collect('aws_iam_role', 'assume_role_policy');
  collect('aws_s3_bucket_policy', 'policy');
  return documents;
}

describe('IAM: least privilege per role', () => {
  const tf = synthStack();
  const bucketArn = (kind: 'source' | 'destination') => {
    const [id] = Object.keys(tf.resources('aws_s3_bucket')).filter((key) => key.startsWith(`${kind}_`));
    return ref('aws_s3_bucket', id, 'arn');
  };
  const SRC = bucketArn('source');
  const DST = bucketArn('destination');

  // The whole table: any permission added or dropped fails here.
  const expected: Record<string, string[]> = {
    'wordbatch-plan-job': [
      `Allow s3:ListBucket ${SRC}`,
      `Allow s3:ListBucket ${DST}`,
      `Allow s3:GetObject ${DST}/inputs/*`,
      `Allow s3:GetObject ${SRC}/*`,
      `Allow s3:GetObjectVersion ${SRC}/*`,
      `Allow s3:PutObject ${DST}/plans/*`,
      `Allow s3:PutObject ${DST}/out/*`,
      `Allow s3:AbortMultipartUpload ${DST}/plans/*`,
      `Allow s3:AbortMultipartUpload ${DST}/out/*`,
    ],
    'wordbatch-migrate-job': [
      `Allow s3:ListBucket ${SRC}`,
      `Allow s3:ListBucket ${DST}`,
      `Allow s3:GetObject ${SRC}/*`,
      `Allow s3:GetObjectVersion ${SRC}/*`,
      `Allow s3:GetObject ${DST}/plans/*`,
      `Allow s3:GetObject ${DST}/out/*`,
      `Allow s3:PutObject ${DST}/out/*`,
      `Allow s3:AbortMultipartUpload ${DST}/out/*`,
    ],
    'wordbatch-merge-job': [
      `Allow s3:ListBucket ${DST}`,
      `Allow s3:GetObject ${DST}/out/*`,
      `Allow s3:GetObject ${DST}/plans/*`,
      `Allow s3:PutObject ${DST}/out/*`,
      `Allow s3:AbortMultipartUpload ${DST}/out/*`,
    ],
  };

  it.each(Object.keys(expected))('%s holds exactly its S3 grants', (roleName) => {
    expect(permissionsOfRole(tf, roleName)).toEqual([...expected[roleName]].sort());
  });

  it.each(Object.keys(expected))('lets %s abort exactly the multipart uploads it may start', (roleName) => {
    const grants = permissionsOfRole(tf, roleName);
    const puts = grants.filter((grant) => grant.startsWith('Allow s3:PutObject ')).map((grant) => grant.split(' ')[2]);
    const aborts = grants.filter((grant) => grant.startsWith('Allow s3:AbortMultipartUpload ')).map((grant) => grant.split(' ')[2]);
    expect(puts.length).toBeGreaterThan(0);
    expect(aborts.sort()).toEqual(puts.sort());
  });

  it.each(Object.keys(expected))('tags %s with why each grant a clean run may not use is kept', (roleName) => {
    const tags = tf.find('aws_iam_role', 'name', roleName).body.tags as Record<string, string>;
    expect(Object.keys(tags).sort()).toEqual(
      roleName === 'wordbatch-plan-job'
        ? ['kept:HeadNamedSource', 'kept:ListDestination', 'kept:ReadInputs', 'kept:ReadSourceVersions', 'kept:WritePlansAbortMultipart']
        : roleName === 'wordbatch-migrate-job'
          ? ['kept:ListDestination', 'kept:ListSource', 'kept:ReadSourceVersions', 'kept:WriteResultsAbortMultipart']
          : ['kept:ListDestination', 'kept:WriteResultsAbortMultipart'],
    );
    for (const value of Object.values(tags)) {
      // IAM tag values: at most 256 characters of letters, digits, spaces and _ . : / = + - @.
      expect(value).toMatch(/^[\p{L}\p{N} _.:/=+\-@]{20,256}$/u);
    }
  });

  it('gives the execution role image pulls from the three repositories and log writes, nothing else', () => {
    const repositories = Object.keys(tf.resources('aws_ecr_repository')).map((id) =>
      ref('aws_ecr_repository', id, 'arn'),
    );
    expect(repositories).toHaveLength(3);
    const [logGroupId] = Object.keys(tf.resources('aws_cloudwatch_log_group'));
    const logGroup = ref('aws_cloudwatch_log_group', logGroupId, 'arn');
    expect(permissionsOfRole(tf, 'wordbatch-execution')).toEqual(
      [
        'Allow ecr:GetAuthorizationToken *',
        ...['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'].flatMap(
          (action) => repositories.map((repository) => `Allow ${action} ${repository}`),
        ),
        `Allow logs:CreateLogStream ${logGroup}:*`,
        `Allow logs:PutLogEvents ${logGroup}:*`,
      ].sort(),
    );
  });

  it('creates no other role on Fargate (no instance role, no service role)', () => {
    expect(
      Object.values(tf.resources('aws_iam_role'))
        .map((role) => role.name)
        .sort(),
    ).toEqual(['wordbatch-execution', 'wordbatch-merge-job', 'wordbatch-migrate-job', 'wordbatch-plan-job']);
    expect(tf.resources('aws_iam_role_policy_attachment')).toEqual({});
    expect(tf.resources('aws_iam_instance_profile')).toEqual({});
  });

  it('lets only ECS tasks of this account assume the task roles', () => {
    for (const role of Object.values(tf.resources('aws_iam_role'))) {
      const [trust] = statementsOf(role.assume_role_policy);
      expect(trust.Principal).toEqual({ Service: 'ecs-tasks.amazonaws.com' });
      expect(trust.Condition).toEqual({
        StringEquals: { 'aws:SourceAccount': expect.stringMatching(/^\$\{data\.aws_caller_identity\.\w+\.account_id\}$/) },
      });
    }
  });

  it('follows configured plan, result and input prefixes', () => {
    const custom = synthStack({ buckets: { plansPrefix: 'runs/plans/', resultsPrefix: 'runs/results/', inputsPrefix: 'runs/lists/' } });
    const dst = ref(
      'aws_s3_bucket',
      Object.keys(custom.resources('aws_s3_bucket')).find((id) => id.startsWith('destination_')) ?? '',
      'arn',
    );
    expect(permissionsOfRole(custom, 'wordbatch-merge-job')).toEqual(
      [
        `Allow s3:ListBucket ${dst}`,
        `Allow s3:GetObject ${dst}/runs/results/*`,
        `Allow s3:GetObject ${dst}/runs/plans/*`,
        `Allow s3:PutObject ${dst}/runs/results/*`,
        `Allow s3:AbortMultipartUpload ${dst}/runs/results/*`,
      ].sort(),
    );
    expect(permissionsOfRole(custom, 'wordbatch-plan-job').filter((grant) => grant.includes(dst))).toEqual(
      [
        `Allow s3:ListBucket ${dst}`,
        `Allow s3:GetObject ${dst}/runs/lists/*`,
        `Allow s3:PutObject ${dst}/runs/plans/*`,
        `Allow s3:PutObject ${dst}/runs/results/*`,
        `Allow s3:AbortMultipartUpload ${dst}/runs/plans/*`,
        `Allow s3:AbortMultipartUpload ${dst}/runs/results/*`,
      ].sort(),
    );
  });

  describe('on EC2 hosts', () => {
    const ec2 = synthStack({ computeType: 'spot' });

    it('adds an instance role with only the ECS agent policy, trusted by EC2', () => {
      expect(permissionsOfRole(ec2, 'wordbatch-batch-instance')).toEqual([
        'Attached arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role',
      ]);
      const role = ec2.find('aws_iam_role', 'name', 'wordbatch-batch-instance');
      expect(statementsOf(role.body.assume_role_policy)[0].Principal).toEqual({ Service: 'ec2.amazonaws.com' });
      expect(Object.values(ec2.resources('aws_iam_instance_profile'))).toHaveLength(1);
    });

    it('leaves the job roles unchanged', () => {
      for (const roleName of Object.keys(expected)) {
        expect(permissionsOfRole(ec2, roleName)).toHaveLength(expected[roleName].length);
      }
    });
  });

  it.each([
    ['Fargate', tf],
    ['Spot', synthStack({ computeType: 'spot' })],
  ])('%s: no Allow statement anywhere grants s3:*, *, or an S3 action on "*"', (_name, stack) => {
    const documents = allPolicyDocuments(stack);
    expect(documents.length).toBeGreaterThan(8);
    for (const { where, statements } of documents) {
      for (const statement of statements.filter((s: Statement) => s.Effect === 'Allow')) {
        const actions = asList(statement.Action);
        const context = `${where}: ${JSON.stringify(statement)}`;
        expect({ context, wildcard: actions.filter((a) => a === '*' || a === 's3:*') }).toEqual({ context, wildcard: [] });
        if (actions.some((action) => action.startsWith('s3:'))) {
          expect({ context, resources: asList(statement.Resource).filter((r) => r === '*') }).toEqual({
            context,
            resources: [],
          });
        }
      }
    }
  });

  it('uses s3:* only to deny requests without TLS', () => {
    const denies = Object.values(tf.resources('aws_s3_bucket_policy')).flatMap((policy: Block) =>
      statementsOf(policy.policy),
    );
    expect(denies).toHaveLength(2);
    for (const statement of denies) {
      expect(statement).toMatchObject({
        Effect: 'Deny',
        Action: ['s3:*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
    }
  });
});
