import type { AppliedRole } from '../stack/applied-stack';
import type { CallRecord } from './iam-front';

/** One (action, resource) pair a role's Allow statements grant. */
export interface Grant {
  readonly sid: string;
  readonly action: string;
  readonly resource: string;
  readonly condition?: string;
}

export interface GrantUse {
  readonly grant: Grant;
  /** Allowed calls of the role's own stage that this grant covers. */
  readonly calls: number;
  /** The reason the stack states for keeping it (the role's `kept:<Sid>` tag), if any. */
  readonly keptBecause?: string;
}

export interface StageUse {
  readonly role: string;
  readonly stage: string;
  readonly grants: readonly GrantUse[];
  /** Granted, never used, and no reason stated: what fails the rehearsal. */
  readonly unjustified: readonly Grant[];
}

const asList = (value: string | readonly string[]): readonly string[] => (typeof value === 'string' ? [value] : value);

/** IAM's wildcards in actions and resources: `*` any run of characters, `?` one character. */
export function wildcardMatches(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return regex.test(value);
}

export function grantsOf(role: AppliedRole): Grant[] {
  return Object.values(role.policies).flatMap((policy) =>
    policy.Statement.filter((statement) => statement.Effect === 'Allow').flatMap((statement) =>
      asList(statement.Action).flatMap((action) =>
        asList(statement.Resource).map((resource) => ({
          sid: statement.Sid ?? '',
          action,
          resource,
          ...(statement.Condition ? { condition: JSON.stringify(statement.Condition) } : {}),
        })),
      ),
    ),
  );
}

/**
 * What each stage's role is granted against what the stage used: every allowed call made
 * under the role by its own stage (the missing-object ListBucket checks included) counts
 * toward the grants that cover it. A grant no call used is acceptable only with a reason
 * stated in the stack (infra/src/iam/grants.ts puts it on the role as `kept:<Sid>`).
 */
export function leastPrivilege(roles: readonly AppliedRole[], stageOfRole: (role: AppliedRole) => string | undefined, calls: readonly CallRecord[]): StageUse[] {
  return roles.flatMap((role) => {
    const stage = stageOfRole(role);
    if (stage === undefined) return [];
    const own = calls.filter((call) => call.roleArn === role.arn && call.stage === stage && call.allowed);
    const grants = grantsOf(role).map((grant) => {
      const keptBecause = role.tags[`kept:${grant.sid}`];
      return {
        grant,
        calls: own.filter((call) => wildcardMatches(grant.action, call.action) && wildcardMatches(grant.resource, call.resource)).length,
        ...(keptBecause === undefined ? {} : { keptBecause }),
      };
    });
    return [{ role: role.name, stage, grants, unjustified: grants.filter((use) => use.calls === 0 && use.keptBecause === undefined).map((use) => use.grant) }];
  });
}

/** The table the rehearsal prints. */
export function formatLeastPrivilege(uses: readonly StageUse[]): string {
  return uses
    .map((use) => {
      const lines = use.grants.map(({ grant, calls, keptBecause }) => {
        const mark = calls > 0 ? `used ${String(calls).padStart(5)}` : keptBecause ? 'kept      ' : 'UNUSED    ';
        const why = calls === 0 && keptBecause ? `  (${keptBecause})` : '';
        return `    ${mark}  ${grant.action} ${grant.resource}${grant.condition ? ` if ${grant.condition}` : ''}${why}`;
      });
      return [`  ${use.stage} (role ${use.role}):`, ...lines].join('\n');
    })
    .join('\n');
}
