import { resolve } from '../resolve/core.js';
import { INSIGHT_NETWORK_VARS, NETWORK_VARS_CODES } from '../resolve/network-vars.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'insight-network-vars',
  title: "Insight SUBNETS and SECURITY_GROUPS equal the Insight service's subnets and security groups, in its VPC",
  step: 7,
  severity: 'high',
  remediation:
    'Set SUBNETS (comma-separated without spaces, the two private subnets of runbook step 1) and SECURITY_GROUPS (the Edgi Insight security group) on the Edgi Insight task definition to exactly what the Insight service runs with, in its VPC, register a new revision and redeploy the service.',
  permissions: ['ecs:DescribeServices', 'ecs:DescribeTaskDefinition', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'],
  codes: NETWORK_VARS_CODES,
  async run(inv, cfg) {
    const r = await resolve(inv, cfg, INSIGHT_NETWORK_VARS);
    return r.ok ? r.value.findings : r.findings;
  },
};

export default check;
