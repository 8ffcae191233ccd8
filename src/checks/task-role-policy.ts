import { NAMED_POLICY_CODES, namedPolicy } from './support/named-policy.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'task-role-policy',
  title: 'The AskEdgi ECS task role has the AskEdgi ECS policy (managed or inline)',
  step: 5,
  severity: 'high',
  remediation:
    'Attach the custom policy AskEdgi ECS Policy (runbook step 5, AskEdgi_ECS_Policy) to the AskEdgi ECS task role, as a managed policy or inline under that name; the Edgi tasks reach S3, SQS, the DB secret, ECS and Cloud Map through it. A policy under another name is fine when task-role-effective-permissions passes.',
  permissions: ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'],
  codes: NAMED_POLICY_CODES,
  run: (inv, cfg) => namedPolicy(inv, cfg, 'role'),
};

export default check;
