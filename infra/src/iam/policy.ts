/** One IAM policy statement, written as data so that tests can read back who may do what. */
export interface PolicyStatement {
  readonly sid: string;
  readonly effect?: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly principals?: Readonly<Record<string, string | readonly string[]>>;
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
  /**
   * Why the grant stays although a normal run may not use it. Not part of the policy
   * document (IAM has no comments); the role carries it as a tag.
   */
  readonly whyKept?: string;
}

/**
 * The `kept:<Sid>` tags stating why a statement is kept though a run may not use it. Tag
 * values allow letters, digits, spaces and `_ . : / = + - @` only, up to 256 characters.
 */
export function keptTags(statements: readonly PolicyStatement[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const statement of statements) {
    if (statement.whyKept === undefined) continue;
    const value = statement.whyKept.replace(/[^\p{L}\p{N} _.:/=+\-@]/gu, ' ').replace(/ +/g, ' ').slice(0, 256);
    tags[`kept:${statement.sid}`] = value;
  }
  return tags;
}

/**
 * Renders statements as a policy JSON document. Resource ARNs may be unresolved tokens:
 * they survive JSON.stringify and synthesize as Terraform interpolations inside the string.
 */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((statement) => ({
      Sid: statement.sid,
      Effect: statement.effect ?? 'Allow',
      ...(statement.principals ? { Principal: statement.principals } : {}),
      Action: statement.actions,
      Resource: statement.resources,
      ...(statement.conditions ? { Condition: statement.conditions } : {}),
    })),
  });
}

/**
 * A trust policy letting one AWS service assume the role. With `sourceAccount`, only on
 * behalf of that account (the confused-deputy guard ECS documents for task roles).
 */
export function assumeRolePolicy(service: string, sourceAccount?: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        ...(sourceAccount
          ? { Condition: { StringEquals: { 'aws:SourceAccount': sourceAccount } } }
          : {}),
      },
    ],
  });
}
