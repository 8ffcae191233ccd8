import { ingressRuleRun, INGRESS_RULE_CODES } from './support/ingress-rule.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'elasticsearch-sg-allows-edgi',
  title: 'Elasticsearch security group allows TCP 9200 from the Edgi security group',
  step: 1,
  severity: 'critical',
  remediation: 'Security groups are stateful: the Edgi rule from the Elasticsearch group does not let Insight tasks reach Elasticsearch. Add an inbound TCP 9200 rule from the Edgi security group to the Elasticsearch security group.',
  codes: INGRESS_RULE_CODES,
  permissions: ['ecs:DescribeServices', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'],
  run: ingressRuleRun({ target: 'Elasticsearch', from: 'Edgi', port: (cfg) => cfg.expect.ports.elasticsearch, purpose: 'Elasticsearch' }),
};

export default check;
