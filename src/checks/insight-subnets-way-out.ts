import type { Check } from '../engine/check.js';
import { fail, pass, warn } from '../engine/finding.js';
import { wayOut } from '../effective/network.js';
import type { Finding } from '../model.js';
import { subnetView, SUBNET_VIEW_CODES } from './support/paths.js';
import { envValue } from '../resolve/env.js';
import { need } from '../resolve/core.js';
import { INSIGHT_SERVICE, latestActive } from '../resolve/deployment.js';
import { INSIGHT_SUBNETS_PRIVATE } from './insight-subnets-private.js';

const check: Check = {
  id: 'insight-subnets-way-out',
  title: 'Every Insight and Data subnet reaches ECR, CloudWatch Logs, Secrets Manager, SQS, S3, ECS and Cloud Map (NAT gateway or VPC endpoints)',
  step: 1,
  severity: 'critical',
  remediation:
    'Give each private subnet of the Insight service and of SUBNETS (where Insight launches Data tasks) a way out to the AWS APIs (runbook step 1): a 0.0.0.0/0 route to an available NAT gateway, or, in an isolated subnet, interface VPC endpoints with private DNS for ecr.api, ecr.dkr, logs, secretsmanager, sqs, ecs, servicediscovery and data-servicediscovery plus the S3 gateway endpoint on the subnet\'s route table. A default route to a transit gateway (a central egress VPC, as Control Tower landing zones often have), a NAT instance or a private NAT gateway is a warn: confirm the route beyond it reaches the internet, or add the endpoints.',
  codes: ['no-route-table', 'isolated', 'forwarded', ...SUBNET_VIEW_CODES],
  permissions: ['ecs:DescribeServices', 'ecs:DescribeTaskDefinition', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:DescribeRouteTables', 'ec2:DescribeNatGateways', 'ec2:DescribeVpcEndpoints'],
  async run(inv, cfg) {
    // Resolving: the Insight service's subnets and the SUBNETS Data tasks are launched into.
    await need(inv, cfg, INSIGHT_SUBNETS_PRIVATE);
    const net = { value: await need(inv, cfg, INSIGHT_SERVICE) };
    const insight = await latestActive(inv, cfg.taskDefinitions.insight);
    const launched = (insight ? envValue(insight, 'SUBNETS') ?? '' : '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    const subnetIds = [...new Set([...net.value.service.subnets, ...launched])];
    const findings: Finding[] = [];
    for (const id of subnetIds) {
      const view = await subnetView(inv, id, false);
      if (!view.ok) {
        findings.push(...view.findings);
        continue;
      }
      const { subnet, table, label } = view.value;
      const who = net.value.service.subnets.includes(id) ? 'Insight' : 'Data (SUBNETS)';
      if (!table) {
        findings.push(fail(`Subnet ${label} (${who}) has no route table, explicit or main.`, { code: 'no-route-table', resource: id, expected: 'a route table with a way out', found: 'none' }));
        continue;
      }
      const [nats, endpoints] = await Promise.all([inv.natGateways(subnet.vpcId), inv.vpcEndpoints(subnet.vpcId)]);
      const way = wayOut(table, nats, endpoints, cfg.region!);
      if (way.kind === 'nat') {
        findings.push(pass(`Subnet ${label} (${who}) is private and reaches the AWS APIs through NAT gateway ${way.natGatewayId} (route table ${table.id}).`, { resource: id }));
      } else if (way.kind === 'igw') {
        findings.push(pass(`Subnet ${label} (${who}) routes 0.0.0.0/0 to internet gateway ${way.gatewayId} (route table ${table.id}).`, { resource: id }));
      } else if (way.missing.length === 0) {
        const via = Object.entries(way.via).map(([api, ids]) => `${api} (${ids.join(', ')})`).join(', ');
        const route = way.kind === 'forwarded' ? `routes 0.0.0.0/0 to ${way.what} ${way.target}${way.note ? ` (${way.note})` : ''}` : 'is isolated (no NAT gateway route)';
        findings.push(pass(`Subnet ${label} (${who}) ${route} and reaches every AWS API through VPC endpoints: ${via}.`, { resource: id }));
      } else if (way.kind === 'forwarded') {
        // Not isolated, not verified: the doctor reads this account's VPC, not the transit gateway's
        // route tables or the egress VPC behind them (often another account).
        const apis = way.missing.map((m) => m.label).join(', ');
        findings.push(
          warn(`Subnet ${label} (${who}) routes 0.0.0.0/0 to ${way.what} ${way.target}${way.note ? ` (${way.note})` : ''} in route table ${table.id}; the way out beyond it is not visible from this VPC, so whether tasks reach ${apis} (no VPC endpoint serves them) is not verified.`, {
            code: 'forwarded',
            resource: id,
            expected: 'a 0.0.0.0/0 route to an available NAT gateway, or VPC endpoints for every API',
            found: `0.0.0.0/0 -> ${way.target} in ${table.id}`,
          }),
        );
      } else {
        const missing = way.missing.map((m) => `${m.label} (${m.endpoints.join(', ')})`).join(', ');
        const route = way.blackhole ? `its default route goes nowhere (${way.blackhole})` : `route table ${table.id} has no route to a NAT gateway`;
        findings.push(
          fail(`Subnet ${label} (${who}) is isolated: ${route}, and no VPC endpoint serves ${missing}; tasks there cannot reach those APIs.`, {
            code: 'isolated',
            resource: id,
            expected: 'a 0.0.0.0/0 route to an available NAT gateway, or VPC endpoints for every API',
            found: `no way out to ${way.missing.map((m) => m.label).join(', ')}`,
          }),
        );
      }
    }
    return findings;
  },
};

export default check;
