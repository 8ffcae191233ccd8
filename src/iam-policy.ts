import type { Config } from './config/schema.js';
import type { Check } from './engine/check.js';
import { withImpliedActions } from './inventory/operations.js';
import { REMEDIATE_PERMISSIONS } from './remediate/actions/index.js';

export interface PolicyDocumentOut {
  Version: '2012-10-17';
  Statement: { Sid: string; Effect: 'Allow'; Action: string[]; Resource: '*' }[];
}

/** What the config itself makes the run read: the database credentials from the AWS_SCTNAME secret. */
export function configActions(cfg: Pick<Config, 'database'> | undefined): string[] {
  return cfg?.database?.fromSecret ? ['secretsmanager:GetSecretValue'] : [];
}

/** Actions every run needs whatever checks are selected (the report names the caller's account). */
const ALWAYS = ['sts:GetCallerIdentity'];

/**
 * The least-privilege read policy for `run`: exactly the actions the selected checks declare.
 * Resource "*" because Describe/List calls on ECS, EC2, EFS and Cloud Map do not support
 * resource-level permissions; every action is a read.
 */
export function runPolicy(checks: readonly Check[], extra: readonly string[] = []): PolicyDocumentOut {
  // With the actions AWS checks without naming them and the inventory's follow-up reads (docs/aws-operations.md).
  const actions = withImpliedActions([...ALWAYS, ...extra, ...checks.flatMap((c) => c.permissions)]);
  return { Version: '2012-10-17', Statement: [{ Sid: 'AskEdgiDoctorRead', Effect: 'Allow', Action: actions, Resource: '*' }] };
}

/**
 * The policy for `remediate`, kept apart from the read policy: the reads its plans need and the
 * writes of its actions (Cloud Map deregister/register, ECS UpdateService). Grant it only to the
 * role that performs approved recoveries.
 */
export function remediatePolicy(): PolicyDocumentOut {
  return { Version: '2012-10-17', Statement: [{ Sid: 'AskEdgiDoctorRemediate', Effect: 'Allow', Action: [...new Set(['sts:GetCallerIdentity', ...REMEDIATE_PERMISSIONS])].sort(), Resource: '*' }] };
}
