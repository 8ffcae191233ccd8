import { error, fail, pass, warn } from '../engine/finding.js';
import { requireSecurityGroup, sgLabel, SECURITY_GROUP_CODES } from './support/insight.js';
import { describeIngress, describeRule, ingressCoverage } from './support/sg.js';
import { INSIGHT_SERVICE } from '../resolve/deployment.js';
import { need } from '../resolve/core.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'edgi-sg-ingress-vpc',
  title: 'Edgi security group allows TCP 8000 from the VPC CIDR',
  step: 1,
  severity: 'critical',
  remediation: 'Add the runbook step 1 inbound rule to the Edgi security group: TCP 8000 from the VPC range (ECS service communication).',
  codes: ['vpc-not-found', 'missing-rule', 'rule-too-open', ...SECURITY_GROUP_CODES],
  permissions: ['ecs:DescribeServices', 'ec2:DescribeSecurityGroups', 'ec2:DescribeVpcs'],
  async run(inv, cfg) {
    const net = await need(inv, cfg, INSIGHT_SERVICE);
    const found = await requireSecurityGroup(inv, net.edgiSgId, 'Edgi security group');
    if (!found.ok) return found.findings;
    const sg = found.value;
    const port = cfg.expect.ports.insight;
    const vpc = sg.vpcId ? await inv.vpc(sg.vpcId) : undefined;
    if (!vpc || vpc.cidrs.length === 0) {
      return [error(`VPC ${sg.vpcId ?? '(none)'} of security group ${sg.id} not found; cannot tell the VPC CIDR the rule must allow.`, { code: 'vpc-not-found', resource: sg.vpcId ?? sg.id, expected: 'an existing VPC', found: 'none' })];
    }
    const label = sgLabel(sg, 'Edgi');
    const expected = `inbound TCP ${port} from ${vpc.cidrs.join(' or ')}`;
    const cover = ingressCoverage(sg, port, { cidrs: [vpc.cidrs[0]!], exactWithin: vpc.cidrs });
    if (!cover) {
      return [fail(`Security group ${label} has no inbound TCP ${port} rule from the VPC CIDR ${vpc.cidrs[0]}; ECS service communication is blocked.`, { code: 'missing-rule', resource: sg.id, expected, found: describeIngress(sg) })];
    }
    if (cover.kind === 'broader') {
      return [warn(`Security group ${label} allows ${describeRule(cover.rule)}, broader than TCP ${port} from the VPC CIDR ${vpc.cidrs[0]} (${cover.why}).`, { code: 'rule-too-open', resource: sg.id, expected, found: describeRule(cover.rule) })];
    }
    return [pass(`Security group ${label} allows TCP ${port} from the VPC CIDR ${vpc.cidrs[0]}.`, { resource: sg.id })];
  },
};

export default check;
