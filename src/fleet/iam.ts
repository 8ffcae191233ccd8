// The fleet's least privilege (`iam-policy --fleet`): the operator may only assume the listed roles,
// and each customer role trusts only the operator (with the target's ExternalId when it has one)
// and grants the read-only policy `run` needs for that target's config.
import { UsageError } from '../errors.js';
import { configActions, runPolicy, type PolicyDocumentOut } from '../iam-policy.js';
import { selectChecks } from '../commands/catalog.js';
import type { Fleet } from './load.js';

export interface TrustPolicy {
  Version: '2012-10-17';
  Statement: Array<{ Sid: string; Effect: 'Allow'; Principal: { AWS: string }; Action: 'sts:AssumeRole'; Condition?: { StringEquals: Record<string, string> } }>;
}

export interface FleetPolicies {
  /** Attach to the operator (the principal that runs `fleet run`). */
  operatorPolicy: PolicyDocumentOut;
  /** Per target: the role's trust policy and its permissions policy (what `iam-policy -c <its config>` prints). */
  roles: Array<{ target: string; roleArn: string; trustPolicy: TrustPolicy; permissionsPolicy: PolicyDocumentOut }>;
}

/** The IAM principal a trust policy names: an assumed-role session is trusted through its role. */
export function trustPrincipal(operator: string): string {
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(operator);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : operator;
}

export function fleetPolicies(fleet: Fleet, only?: string[]): FleetPolicies {
  if (fleet.operator === undefined) {
    throw new UsageError(`${fleet.file}: iam-policy --fleet needs "operator:" in the fleet file (the IAM user or role ARN that runs the fleet): each customer role's trust policy names it`);
  }
  const principal = trustPrincipal(fleet.operator);
  const roleArns = [...new Set(fleet.targets.map((t) => t.roleArn))].sort();
  return {
    operatorPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'AssumeAskEdgiDoctorRoles', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: roleArns }] },
    roles: fleet.targets.map((t) => ({
      target: t.name,
      roleArn: t.roleArn,
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AskEdgiDoctorOperator',
            Effect: 'Allow',
            Principal: { AWS: principal },
            Action: 'sts:AssumeRole',
            ...(t.externalId !== undefined ? { Condition: { StringEquals: { 'sts:ExternalId': t.externalId } } } : {}),
          },
        ],
      },
      permissionsPolicy: runPolicy(selectChecks(t.checks, only ?? t.cfg.checks.only, t.cfg.checks.skip), configActions(t.cfg), t.cfg),
    })),
  };
}
