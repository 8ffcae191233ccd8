import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/insight-subnets-way-out.js';
import type { VpcEndpoint } from '../../../src/inventory/types.js';
import { IDS, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, FAMILIES, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';
import { healthyEffective } from '../../support/effective-fixture.js';

const endpoint = (service: string, type: 'Interface' | 'Gateway'): VpcEndpoint => ({
  id: `vpce-${service}`,
  vpcId: IDS.vpc,
  serviceName: `com.amazonaws.us-east-1.${service}`,
  type,
  state: 'available',
  privateDnsEnabled: type === 'Interface',
  subnetIds: type === 'Interface' ? [IDS.subnetA] : [],
  routeTableIds: type === 'Gateway' ? ['rtb-private'] : [],
  securityGroupIds: [],
});
const INTERFACES = ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'sqs', 'ecs', 'servicediscovery', 'data-servicediscovery'];

function isolated() {
  const data = healthyEffective();
  const rt = data.routeTables!.find((t) => t.id === 'rtb-private')!;
  rt.routes = rt.routes.filter((r) => r.destinationCidr !== '0.0.0.0/0');
  return data;
}

describe('insight-subnets-way-out', () => {
  it('passes (private) when the subnets route 0.0.0.0/0 to an available NAT gateway', async () => {
    const r = await runOne(check, healthyEffective());
    expect(r.status).toBe('pass');
    expect(r.findings.map((f) => f.message)).toEqual([
      `Subnet ${IDS.subnetA} (Insight) is private and reaches the AWS APIs through NAT gateway nat-1 (route table rtb-private).`,
      `Subnet ${IDS.subnetB} (Insight) is private and reaches the AWS APIs through NAT gateway nat-1 (route table rtb-private).`,
    ]);
  });

  it('passes (isolated) when every API has a VPC endpoint: interface with private DNS, S3 gateway on the route table', async () => {
    const data = isolated();
    data.vpcEndpoints = [...INTERFACES.map((s) => endpoint(s, 'Interface')), endpoint('s3', 'Gateway')];
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toBe(
      `Subnet ${IDS.subnetA} (Insight) is isolated (no NAT gateway route) and reaches every AWS API through VPC endpoints: ECR (vpce-ecr.api, vpce-ecr.dkr), CloudWatch Logs (vpce-logs), Secrets Manager (vpce-secretsmanager), SQS (vpce-sqs), S3 (vpce-s3), ECS (vpce-ecs), Cloud Map (vpce-servicediscovery, vpce-data-servicediscovery).`,
    );
  });

  it('fails (isolated) naming the APIs without an endpoint, distinct from a private subnet', async () => {
    const data = isolated();
    data.vpcEndpoints = INTERFACES.filter((s) => s !== 'sqs').map((s) => endpoint(s, 'Interface'));
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]).toEqual({
      status: 'fail',
      code: 'insight-subnets-way-out/isolated',
      fingerprint: `insight-subnets-way-out/isolated@${IDS.subnetA}`,
      message: `Subnet ${IDS.subnetA} (Insight) is isolated: route table rtb-private has no route to a NAT gateway, and no VPC endpoint serves SQS (com.amazonaws.us-east-1.sqs), S3 (com.amazonaws.us-east-1.s3); tasks there cannot reach those APIs.`,
      resource: IDS.subnetA,
      expected: 'a 0.0.0.0/0 route to an available NAT gateway, or VPC endpoints for every API',
      found: 'no way out to SQS, S3',
    });
  });

  describe('a default route to a transit gateway (a central egress VPC, as Control Tower landing zones have)', () => {
    const viaTgw = () => {
      const data = isolated();
      data.routeTables!.find((t) => t.id === 'rtb-private')!.routes.push({ destinationCidr: '0.0.0.0/0', transitGatewayId: 'tgw-1', state: 'active' });
      return data;
    };

    it('warns: not isolated, but the way out beyond the transit gateway is not verified', async () => {
      const r = await runOne(check, viaTgw());
      expect(r.status).toBe('warn');
      expect(r.findings[0]).toEqual({
        status: 'warn',
        code: 'insight-subnets-way-out/forwarded',
        fingerprint: `insight-subnets-way-out/forwarded@${IDS.subnetA}`,
        message: `Subnet ${IDS.subnetA} (Insight) routes 0.0.0.0/0 to transit gateway tgw-1 in route table rtb-private; the way out beyond it is not visible from this VPC, so whether tasks reach ECR, CloudWatch Logs, Secrets Manager, SQS, S3, ECS, Cloud Map (no VPC endpoint serves them) is not verified.`,
        resource: IDS.subnetA,
        expected: 'a 0.0.0.0/0 route to an available NAT gateway, or VPC endpoints for every API',
        found: '0.0.0.0/0 -> tgw-1 in rtb-private',
      });
    });

    it('passes when VPC endpoints serve every API anyway', async () => {
      const data = viaTgw();
      data.vpcEndpoints = [...INTERFACES.map((s) => endpoint(s, 'Interface')), endpoint('s3', 'Gateway')];
      const r = await runOne(check, data);
      expect(r.status).toBe('pass');
      expect(r.findings[0]!.message).toMatch(new RegExp(`^Subnet ${IDS.subnetA} \\(Insight\\) routes 0\\.0\\.0\\.0/0 to transit gateway tgw-1 and reaches every AWS API through VPC endpoints: ECR`));
    });
  });

  it('warns for a private NAT gateway: it has no internet access of its own', async () => {
    const data = healthyEffective();
    data.natGateways![0]!.connectivityType = 'private';
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.message).toMatch(/^Subnet subnet-a \(Insight\) routes 0\.0\.0\.0\/0 to private NAT gateway nat-1 \(no internet access of its own\) in route table rtb-private; the way out beyond it is not visible/);
  });

  it('a default route to a deleted NAT gateway routes nothing', async () => {
    const data = healthyEffective();
    data.natGateways![0]!.state = 'deleted';
    const r = await runOne(check, data);
    expect(r.findings[0]!.message).toMatch(/^Subnet subnet-a \(Insight\) is isolated: its default route goes nowhere \(nat-1 \(deleted\)\), and no VPC endpoint serves ECR/);
  });

  it('also checks the SUBNETS Data tasks are launched into', async () => {
    const data = healthyEffective();
    setEnv(data, FAMILIES.insight, 'SUBNETS', `${IDS.subnetA},${IDS.publicSubnet}`);
    const r = await runOne(check, data);
    expect(r.findings.map((f) => f.message)[2]).toBe(`Subnet ${IDS.publicSubnet} (Data (SUBNETS)) routes 0.0.0.0/0 to internet gateway ${IDS.igw} (route table rtb-public).`);
  });

  skipsWhenRootFails(check, { ...ROOTS.insightServiceMissing, base: healthyEffective });
  errorsWhenDenied(check, 'ec2:DescribeNatGateways', { base: healthyEffective });
});
