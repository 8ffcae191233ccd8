import { ingressRuleRun, INGRESS_RULE_CODES } from './support/ingress-rule.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'edgi-sg-ingress-efs',
  title: 'Edgi security group allows NFS (TCP 2049) from the EFS security group, and no more',
  step: 1,
  severity: 'critical',
  remediation: 'The runbook step 1 rule is All/All from the private EFS security group; TCP 2049 (NFS) from the EFS security group is all EFS needs. Replace an All/All rule with TCP 2049, or add it if missing.',
  codes: INGRESS_RULE_CODES,
  permissions: ['ecs:DescribeServices', 'ec2:DescribeSecurityGroups'],
  run: ingressRuleRun({ target: 'Edgi', from: 'EFS', port: (cfg) => cfg.expect.ports.nfs, purpose: 'NFS' }),
};

export default check;
