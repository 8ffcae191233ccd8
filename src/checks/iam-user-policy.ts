import { fail, pass } from '../engine/finding.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'iam-user-policy',
  title: 'The Edgi IAM user exists and has the AskEdgi SaaS policy attached',
  step: 4,
  severity: 'high',
  remediation:
    'Create the IAM user for AskEdgi Python (runbook step 4, e.g. edgi_user) if it is missing and attach the managed policy AskEdgi_policy_Saas to it; the OvalEdge UI and Job use this user\'s access key.',
  permissions: ['iam:GetUser', 'iam:ListAttachedUserPolicies'],
  async run(inv, cfg) {
    const { user: userName, userPolicy } = cfg.iam;
    const user = await inv.iamUser(userName);
    if (!user) {
      return [fail(`IAM user ${userName} not found.`, { resource: userName, expected: `an IAM user ${userName} with policy ${userPolicy}`, found: 'none' })];
    }
    const attached = user.attachedPolicies.find((p) => p.name === userPolicy);
    if (attached) {
      return [pass(`IAM user ${user.name} has the managed policy ${userPolicy} attached (${attached.arn}).`, { resource: user.arn })];
    }
    const names = user.attachedPolicies.map((p) => p.name);
    return [
      fail(`IAM user ${user.name} does not have the managed policy ${userPolicy} attached.`, {
        resource: user.arn,
        expected: `managed policy ${userPolicy} attached`,
        found: names.length > 0 ? `attached: ${names.join(', ')}` : 'no managed policies attached',
      }),
    ];
  },
};

export default check;
