import type { Config } from './config/schema.js';
import type { Check } from './engine/check.js';
import { withImpliedActions } from './inventory/operations.js';
import { REMEDIATE_PERMISSIONS } from './remediate/actions/index.js';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
}

export interface PolicyDocumentOut {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** What iam-policy knows of the deployment: the config, when there is one. */
export type PolicyConfig = Pick<Config, 'database'> & Partial<Pick<Config, 'region' | 'accountId' | 'cluster' | 'services'>>;

/** What the config itself makes the run read: the database credentials from the AWS_SCTNAME secret. */
export function configActions(cfg: Pick<Config, 'database'> | undefined): string[] {
  return cfg?.database?.fromSecret ? ['secretsmanager:GetSecretValue'] : [];
}

/** Actions every run needs whatever checks are selected (the report names the caller's account). */
const ALWAYS = ['sts:GetCallerIdentity'];

/**
 * Actions that take resource-level permissions, with the ARNs the config makes known. The secret's
 * name comes from the Data task definition (AWS_SCTNAME) at run time, so its ARN is scoped to the
 * region and account; ECS services are named in the config; the data services' Cloud Map service id
 * comes from the Insight task definition, so its ARN is scoped to the region and account.
 */
function scoped(action: string, cfg: PolicyConfig | undefined): string[] | undefined {
  // Without a config nothing is known: "*" as before.
  if (!cfg) return undefined;
  const region = cfg.region ?? '*';
  const account = cfg.accountId ?? '*';
  switch (action) {
    case 'secretsmanager:GetSecretValue':
    case 'secretsmanager:DescribeSecret':
      return [`arn:aws:secretsmanager:${region}:${account}:secret:*`];
    case 'ecs:UpdateService':
    case 'ecs:DescribeServices':
      if (!cfg.cluster || !cfg.services) return [`arn:aws:ecs:${region}:${account}:service/*`];
      return [...new Set(Object.values(cfg.services))].sort().map((s) => `arn:aws:ecs:${region}:${account}:service/${cfg.cluster}/${s}`);
    case 'servicediscovery:RegisterInstance':
    case 'servicediscovery:DeregisterInstance':
    case 'servicediscovery:ListInstances':
      return [`arn:aws:servicediscovery:${region}:${account}:service/*`];
    default:
      return undefined;
  }
}

/** One statement for the actions without resource-level permissions ("*"), one per distinct scope for the others. */
function statements(sid: string, actions: readonly string[], cfg: PolicyConfig | undefined): PolicyStatement[] {
  const sorted = [...new Set(actions)].sort();
  const byScope = new Map<string, string[]>();
  const unscoped: string[] = [];
  for (const a of sorted) {
    const arns = scoped(a, cfg);
    if (!arns) unscoped.push(a);
    else byScope.set(JSON.stringify(arns), [...(byScope.get(JSON.stringify(arns)) ?? []), a]);
  }
  const out: PolicyStatement[] = [];
  if (unscoped.length > 0) out.push({ Sid: sid, Effect: 'Allow', Action: unscoped, Resource: '*' });
  for (const [arns, acts] of byScope) {
    const resource = JSON.parse(arns) as string[];
    const service = acts[0]!.split(':')[0]!.replace(/[^a-z0-9]/g, '');
    out.push({ Sid: `${sid}${service.charAt(0).toUpperCase()}${service.slice(1)}${acts.length === 1 ? acts[0]!.split(':')[1] : ''}`, Effect: 'Allow', Action: acts, Resource: resource.length === 1 ? resource[0]! : resource });
  }
  return out;
}

/**
 * The least-privilege read policy for `run`: the actions the selected checks declare (and the config
 * needs), with the actions AWS checks without naming them and the inventory's follow-up reads
 * (docs/aws-operations.md). Resource "*" where the action has no resource-level permissions (Describe/List
 * calls on ECS, EC2, EFS and Cloud Map); scoped ARNs where it has and the config makes them known.
 */
/** The reads `init` makes beyond the run policy's (service names; the owner of EDGI_AWS_ACCESS_ID): `iam-policy --init` adds them. */
export const INIT_ONLY_ACTIONS = ['ecs:ListServices', 'iam:GetAccessKeyLastUsed'] as const;

export function runPolicy(checks: readonly Check[], extra: readonly string[] = [], cfg?: PolicyConfig): PolicyDocumentOut {
  return { Version: '2012-10-17', Statement: statements('AskEdgiDoctorRead', withImpliedActions([...ALWAYS, ...extra, ...checks.flatMap((c) => c.permissions)]), cfg) };
}

/**
 * The policy for `remediate`, kept apart from the read policy: the reads its plans need and the
 * writes of its actions (Cloud Map deregister/register, ECS UpdateService on the configured services
 * only), and GetSecretValue when the database credentials come from the secret. Grant it only to the
 * role that performs approved recoveries.
 */
export function remediatePolicy(cfg?: PolicyConfig): PolicyDocumentOut {
  return { Version: '2012-10-17', Statement: statements('AskEdgiDoctorRemediate', ['sts:GetCallerIdentity', ...REMEDIATE_PERMISSIONS, ...configActions(cfg)], cfg) };
}
