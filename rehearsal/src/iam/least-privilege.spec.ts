import type { AppliedRole } from '../stack/applied-stack';
import type { CallRecord } from './iam-front';
import { formatLeastPrivilege, grantsOf, leastPrivilege, wildcardMatches } from './least-privilege';

const role: AppliedRole = {
  name: 'wordbatch-merge-job',
  arn: 'arn:aws:iam::123456789012:role/wordbatch-merge-job',
  policies: {
    'merge-s3': {
      Statement: [
        { Sid: 'ListDestination', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::dst'] },
        { Sid: 'ReadResults', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::dst/out/*', 'arn:aws:s3:::dst/plans/*'] },
        { Sid: 'WriteResultsAbortMultipart', Effect: 'Allow', Action: ['s3:AbortMultipartUpload'], Resource: ['arn:aws:s3:::dst/out/*'] },
        { Sid: 'Nothing', Effect: 'Deny', Action: ['s3:*'], Resource: ['*'] },
      ],
    },
  },
  tags: { 'kept:WriteResultsAbortMultipart': 'lib-storage aborts a failed upload' },
};

const call = (action: string, resource: string, extra: Partial<CallRecord> = {}): CallRecord => ({
  session: 'merge attempt 1',
  stage: 'merge',
  roleArn: role.arn,
  operation: 'x',
  action,
  resource,
  allowed: true,
  status: 200,
  ...extra,
});

describe('least privilege, observed', () => {
  it('matches IAM wildcards', () => {
    expect(wildcardMatches('arn:aws:s3:::dst/out/*', 'arn:aws:s3:::dst/out/p/result.json')).toBe(true);
    expect(wildcardMatches('arn:aws:s3:::dst/out/*', 'arn:aws:s3:::dst/plans/p.json')).toBe(false);
    expect(wildcardMatches('s3:Get?bject', 's3:GetObject')).toBe(true);
    expect(wildcardMatches('arn:aws:s3:::dst', 'arn:aws:s3:::dst2')).toBe(false);
  });

  it('lists each Allow action × resource, not the Deny statements', () => {
    expect(grantsOf(role).map((grant) => `${grant.sid} ${grant.action} ${grant.resource}`)).toEqual([
      'ListDestination s3:ListBucket arn:aws:s3:::dst',
      'ReadResults s3:GetObject arn:aws:s3:::dst/out/*',
      'ReadResults s3:GetObject arn:aws:s3:::dst/plans/*',
      'WriteResultsAbortMultipart s3:AbortMultipartUpload arn:aws:s3:::dst/out/*',
    ]);
  });

  it('fails a grant nobody used unless the role says why it is kept; counts only the stage own allowed calls', () => {
    const calls = [
      call('s3:ListBucket', 'arn:aws:s3:::dst'),
      call('s3:GetObject', 'arn:aws:s3:::dst/out/p/shard-00000.tsv'),
      // Denied, or made by another stage under this role: not a use.
      call('s3:GetObject', 'arn:aws:s3:::dst/plans/p.json', { allowed: false, status: 403 }),
      call('s3:GetObject', 'arn:aws:s3:::dst/plans/p.json', { stage: 'plan as merge' }),
    ];
    const [use] = leastPrivilege([role], () => 'merge', calls);
    expect(use.grants.map((grant) => [grant.grant.resource, grant.calls])).toEqual([
      ['arn:aws:s3:::dst', 1],
      ['arn:aws:s3:::dst/out/*', 1],
      ['arn:aws:s3:::dst/plans/*', 0],
      ['arn:aws:s3:::dst/out/*', 0],
    ]);
    expect(use.unjustified.map((grant) => `${grant.action} ${grant.resource}`)).toEqual(['s3:GetObject arn:aws:s3:::dst/plans/*']);
    const table = formatLeastPrivilege([use]);
    expect(table).toContain('UNUSED      s3:GetObject arn:aws:s3:::dst/plans/*');
    expect(table).toContain('kept        s3:AbortMultipartUpload arn:aws:s3:::dst/out/*  (lib-storage aborts a failed upload)');
  });
});
