import { fail, pass } from '../engine/finding.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'caller-identity',
  title: 'AWS credentials resolve to a caller in the expected account',
  step: 0,
  severity: 'critical',
  remediation:
    'Use credentials for the customer account that Control Tower provisioned (AWS_PROFILE, SSO or environment), or correct accountId in the config.',
  codes: ['wrong-account'],
  permissions: ['sts:GetCallerIdentity'],
  async run(inv, cfg) {
    const id = await inv.identity();
    if (cfg.accountId && id.account !== cfg.accountId) {
      return [fail(`Caller ${id.arn} is in account ${id.account}, not the configured account ${cfg.accountId}.`, { code: 'wrong-account', resource: id.arn, expected: cfg.accountId, found: id.account })];
    }
    return [pass(`Caller ${id.arn} is in account ${id.account}${cfg.accountId ? ', as configured' : ''}.`, { resource: id.arn })];
  },
};

export default check;
