import type { Finding } from '../model.js';
import { error, fail, pass } from '../engine/finding.js';
import { INSIGHT_SERVICE } from '../resolve/deployment.js';
import { defineResolver, resolve } from '../resolve/core.js';
import type { Check } from '../engine/check.js';

const isDefault = (cidr?: string) => cidr === '0.0.0.0/0' || cidr === '::/0';

/**
 * The Insight subnets are the configured ones and private (runbook step 1); root: insight-subnets-private.
 * Where the subnets reach the AWS APIs (insight-subnets-way-out) is asked only of private subnets.
 */
export const INSIGHT_SUBNETS_PRIVATE = defineResolver<Finding[]>('insight-subnets-private', 'insight-subnets-private', async ({ inv, cfg, need }) => {
  const net = await need(INSIGHT_SERVICE);
  const { service } = net;
  const findings: Finding[] = [];
  const configured = cfg.network.subnets;
  if (configured) {
    const same = new Set(configured).size === new Set(service.subnets).size && configured.every((s) => service.subnets.includes(s)) && service.subnets.every((s) => configured.includes(s));
    if (!same) {
      findings.push(fail(`ECS service ${service.name} runs in ${service.subnets.join(', ')}, not the configured subnets.`, { code: 'wrong-subnets', resource: service.arn, expected: configured.join(', '), found: service.subnets.join(', ') }));
    }
  } else if (service.subnets.length !== cfg.expect.insightSubnetCount) {
    findings.push(
      fail(`ECS service ${service.name} runs in ${service.subnets.length} subnet(s); the runbook asks for ${cfg.expect.insightSubnetCount} private subnets.`, {
        code: 'subnet-count',
        resource: service.arn,
        expected: `${cfg.expect.insightSubnetCount} subnets`,
        found: service.subnets.join(', '),
      }),
    );
  }
  for (const subnetId of service.subnets) {
    const subnet = await inv.subnet(subnetId);
    if (!subnet) {
      findings.push(error(`Subnet ${subnetId} of service ${service.name} not found.`, { code: 'subnet-not-found', resource: subnetId, expected: 'an existing subnet', found: 'none' }));
      continue;
    }
    const table = await inv.routeTableFor(subnetId);
    const label = subnet.name ? `${subnetId} (${subnet.name})` : subnetId;
    if (!table) {
      findings.push(error(`No route table found for subnet ${label}, explicit or the VPC main table.`, { code: 'no-route-table', resource: subnetId }));
      continue;
    }
    const via = table.association === 'main' ? `the VPC main route table ${table.id}` : `route table ${table.id}`;
    const igw = table.routes.find((r) => (isDefault(r.destinationCidr) || isDefault(r.destinationIpv6Cidr)) && r.gatewayId?.startsWith('igw-'));
    if (igw) {
      findings.push(
        fail(`Subnet ${label} is public: ${via} routes ${igw.destinationCidr ?? igw.destinationIpv6Cidr} to ${igw.gatewayId}.`, {
          code: 'public-subnet',
          resource: subnetId,
          expected: 'no default route to an internet gateway',
          found: `${igw.destinationCidr ?? igw.destinationIpv6Cidr} -> ${igw.gatewayId} in ${table.id}`,
        }),
      );
    } else {
      findings.push(pass(`Subnet ${label} is private (${via} has no route to an internet gateway).`, { resource: subnetId }));
    }
  }
  return findings.some((f) => f.status === 'fail' || f.status === 'error') ? { ok: false, findings } : { ok: true, value: findings };
});

const check: Check = {
  id: 'insight-subnets-private',
  title: 'Insight service runs in exactly the two configured subnets, and both are private',
  step: 1,
  severity: 'critical',
  remediation:
    'Run the Edgi Insight service in two private subnets (runbook step 1): their route tables, or the VPC main route table when a subnet has no explicit association, must not route 0.0.0.0/0 to an internet gateway. Update the service network configuration and the SUBNETS variable together.',
  codes: ['wrong-subnets', 'subnet-count', 'subnet-not-found', 'no-route-table', 'public-subnet'],
  permissions: ['ecs:DescribeServices', 'ec2:DescribeSubnets', 'ec2:DescribeRouteTables'],
  async run(inv, cfg) {
    const r = await resolve(inv, cfg, INSIGHT_SUBNETS_PRIVATE);
    return r.ok ? r.value : r.findings;
  },
};

export default check;
