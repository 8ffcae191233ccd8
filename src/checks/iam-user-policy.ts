import { USER_READS } from './support/effective-permissions.js';
import { NAMED_POLICY_CODES, namedPolicy } from './support/named-policy.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'iam-user-policy',
  title: 'The Edgi IAM user exists and has the AskEdgi SaaS policy (attached, inline or through a group)',
  step: 4,
  severity: 'high',
  remediation:
    'Create the IAM user for AskEdgi Python (runbook step 4, e.g. edgi_user) if it is missing and give it the policy AskEdgi_policy_Saas (attached, inline or through an IAM group); the OvalEdge UI and Job use this user\'s access key. A policy under another name is fine when edgi-user-effective-permissions passes.',
  permissions: USER_READS.filter((a) => a !== 'sts:GetCallerIdentity' && a !== 'iam:SimulatePrincipalPolicy' && a !== 'iam:ListAccessKeys'),
  codes: NAMED_POLICY_CODES,
  run: (inv, cfg) => namedPolicy(inv, cfg, 'user'),
};

export default check;
