import { ingressRuleRun, INGRESS_RULE_CODES } from './support/ingress-rule.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'rds-sg-allows-edgi',
  title: 'RDS security group allows TCP 3306 from the Edgi security group',
  step: 1,
  severity: 'critical',
  remediation: 'Security groups are stateful: the Edgi rule from the RDS group does not let Insight tasks reach MySQL. Add an inbound TCP 3306 rule from the Edgi security group to the RDS security group.',
  codes: INGRESS_RULE_CODES,
  permissions: ['ecs:DescribeServices', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'],
  run: ingressRuleRun({ target: 'RDS', from: 'Edgi', port: (cfg) => cfg.expect.ports.mysql, purpose: 'MySQL' }),
};

export default check;
