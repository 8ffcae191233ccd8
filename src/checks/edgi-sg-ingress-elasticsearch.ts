import { ingressRuleRun, INGRESS_RULE_CODES } from './support/ingress-rule.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'edgi-sg-ingress-elasticsearch',
  title: 'Edgi security group allows TCP 9200 from the Elasticsearch security group',
  step: 1,
  severity: 'critical',
  remediation: 'Add the runbook step 1 inbound rule to the Edgi security group: TCP 9200 from the private Elasticsearch security group.',
  codes: INGRESS_RULE_CODES,
  permissions: ['ecs:DescribeServices', 'ec2:DescribeSecurityGroups'],
  run: ingressRuleRun({ target: 'Edgi', from: 'Elasticsearch', port: (cfg) => cfg.expect.ports.elasticsearch, purpose: 'Elasticsearch' }),
};

export default check;
