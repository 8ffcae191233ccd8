import { error, fail, pass } from '../engine/finding.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'task-role-policy',
  title: 'The AskEdgi ECS task role has the AskEdgi ECS policy',
  step: 5,
  severity: 'high',
  remediation:
    'Attach the custom policy AskEdgi ECS Policy (runbook step 5, AskEdgi_ECS_Policy) to the AskEdgi ECS task role, as a managed policy or inline under that name; the Edgi tasks reach S3, SQS, the DB secret, ECS and Cloud Map through it.',
  permissions: ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'],
  async run(inv, cfg) {
    const { taskRole: roleName, taskRolePolicy: policy } = cfg.iam;
    const role = await inv.iamRole(roleName);
    if (!role) {
      return [error(`IAM role ${roleName} not found; cannot verify that it has the policy ${policy}.`, { resource: roleName, expected: `a role ${roleName}`, found: 'none' })];
    }
    const managed = role.attachedPolicies.find((p) => p.name === policy);
    if (managed) {
      return [pass(`IAM role ${role.name} has the managed policy ${policy} attached (${managed.arn}).`, { resource: role.arn })];
    }
    if (role.inlinePolicies.includes(policy)) {
      return [pass(`IAM role ${role.name} has the inline policy ${policy}.`, { resource: role.arn })];
    }
    const found = [
      ...role.attachedPolicies.map((p) => `managed ${p.name}`),
      ...role.inlinePolicies.map((p) => `inline ${p}`),
    ];
    return [
      fail(`IAM role ${role.name} does not have the policy ${policy}, managed or inline.`, {
        resource: role.arn,
        expected: `policy ${policy} (managed or inline)`,
        found: found.length > 0 ? found.join(', ') : 'no policies',
      }),
    ];
  },
};

export default check;
