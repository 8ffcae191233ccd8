import { ingressRuleRun, INGRESS_RULE_CODES } from './support/ingress-rule.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'edgi-sg-ingress-rds',
  title: 'Edgi security group allows TCP 3306 from the RDS security group',
  step: 1,
  severity: 'critical',
  remediation: 'Add the runbook step 1 inbound rule to the Edgi security group: TCP 3306 from the private RDS security group.',
  codes: INGRESS_RULE_CODES,
  permissions: ['ecs:DescribeServices', 'ec2:DescribeSecurityGroups'],
  run: ingressRuleRun({ target: 'Edgi', from: 'RDS', port: (cfg) => cfg.expect.ports.mysql, purpose: 'MySQL' }),
};

export default check;
