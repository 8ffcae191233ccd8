import { pass, warn } from '../engine/finding.js';
import { INSIGHT_SERVICE, INSIGHT_SERVICE_CODES } from '../resolve/deployment.js';
import { resolve } from '../resolve/core.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'insight-service-network',
  title: 'Insight service exists with awsvpc networking and one Edgi security group',
  step: 1,
  severity: 'critical',
  remediation:
    'Create the Edgi Insight ECS service (runbook step 8) in the two private subnets with the Edgi security group of step 1; if it uses several security groups, set network.edgiSecurityGroup in the config.',
  codes: ['public-ip', ...INSIGHT_SERVICE_CODES],
  permissions: ['ecs:DescribeServices'],
  async run(inv, cfg) {
    const r = await resolve(inv, cfg, INSIGHT_SERVICE);
    if (!r.ok) return r.findings;
    const net = r.value;
    const { service, edgiSgId } = net;
    const findings = [
      pass(`ECS service ${service.name} runs in ${service.subnets.join(', ')} with Edgi security group ${edgiSgId}.`, { resource: service.arn }),
    ];
    if (service.assignPublicIp === 'ENABLED') {
      findings.push(warn(`ECS service ${service.name} assigns public IPs; the Insight service belongs in private subnets.`, { code: 'public-ip', resource: service.arn, expected: 'assignPublicIp DISABLED', found: 'ENABLED' }));
    }
    return findings;
  },
};

export default check;
