import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/insight-subnets-private.js';
import type { FixtureData } from '../../../src/inventory/fixture.js';
import { config, healthy, IDS, runOne } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

const SERVICE = 'oe-edgi-insights-service';

function table(data: FixtureData, id: string) {
  const t = data.routeTables!.find((rt) => rt.id === id);
  if (!t) throw new Error(`no ${id} in fixture`);
  return t;
}

describe('insight-subnets-private', () => {
  it('passes when both subnets use a route table without an internet gateway', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(2);
    expect(r.findings[0]!.message).toContain(`Subnet ${IDS.subnetA} is private (route table rtb-private`);
    expect(r.findings[1]!.message).toContain(`Subnet ${IDS.subnetB} is private`);
  });

  it('fails naming the subnet when its route table sends 0.0.0.0/0 to an igw', async () => {
    const data = healthy();
    table(data, 'rtb-private').routes.push({ destinationCidr: '0.0.0.0/0', gatewayId: IDS.igw });
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.filter((f) => f.status === 'fail');
    expect(bad.map((f) => f.resource)).toEqual([IDS.subnetA, IDS.subnetB]);
    expect(bad[0]!.message).toContain(`Subnet ${IDS.subnetA} is public: route table rtb-private routes 0.0.0.0/0 to ${IDS.igw}`);
    expect(bad[0]!.expected).toBe('no default route to an internet gateway');
    expect(bad[0]!.found).toBe(`0.0.0.0/0 -> ${IDS.igw} in rtb-private`);
  });

  it('fails on an IPv6 default route (::/0) to an igw', async () => {
    const data = healthy();
    table(data, 'rtb-private').routes.push({ destinationIpv6Cidr: '::/0', gatewayId: IDS.igw });
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain(`routes ::/0 to ${IDS.igw}`);
  });

  it('passes when the default route goes to a NAT gateway', async () => {
    const data = healthy();
    table(data, 'rtb-private').routes.push({ destinationCidr: '0.0.0.0/0', natGatewayId: 'nat-1' });
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
  });

  it('fails for a subnet without explicit association whose VPC main table routes to an igw', async () => {
    const data = healthy();
    table(data, 'rtb-private').subnetIds = [IDS.subnetA];
    table(data, 'rtb-main').routes.push({ destinationCidr: '0.0.0.0/0', gatewayId: IDS.igw });
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.filter((f) => f.status === 'fail');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.resource).toBe(IDS.subnetB);
    expect(bad[0]!.message).toContain(`Subnet ${IDS.subnetB} is public: the VPC main route table rtb-main routes 0.0.0.0/0 to ${IDS.igw}`);
    expect(bad[0]!.expected).toBeDefined();
    expect(bad[0]!.found).toContain('rtb-main');
    expect(r.findings.find((f) => f.resource === IDS.subnetA)!.status).toBe('pass');
  });

  it('passes for a subnet without explicit association when the main table has no igw route', async () => {
    const data = healthy();
    table(data, 'rtb-private').subnetIds = [IDS.subnetA];
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(r.findings.find((f) => f.resource === IDS.subnetB)!.message).toContain('the VPC main route table rtb-main');
  });

  it('fails when the service runs in the public subnet', async () => {
    const data = healthy();
    data.services![0]!.subnets = [IDS.subnetA, IDS.publicSubnet];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.filter((f) => f.status === 'fail');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toContain(`Subnet ${IDS.publicSubnet} is public: route table rtb-public`);
  });

  it('fails when the service runs in one subnet only', async () => {
    const data = healthy();
    data.services![0]!.subnets = [IDS.subnetA];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toContain(`ECS service ${SERVICE} runs in 1 subnet(s); the runbook asks for 2 private subnets`);
    expect(f.expected).toBe('2 subnets');
    expect(f.found).toBe(IDS.subnetA);
  });

  it('passes when the service subnets equal config.network.subnets (any order)', async () => {
    const r = await runOne(check, healthy(), config({ network: { subnets: [IDS.subnetB, IDS.subnetA] } }));
    expect(r.status).toBe('pass');
  });

  it('fails when the service subnets differ from config.network.subnets', async () => {
    const r = await runOne(check, healthy(), config({ network: { subnets: [IDS.subnetA, 'subnet-c'] } }));
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toContain(`ECS service ${SERVICE} runs in ${IDS.subnetA}, ${IDS.subnetB}, not the configured subnets`);
    expect(f.expected).toBe(`${IDS.subnetA}, subnet-c`);
    expect(f.found).toBe(`${IDS.subnetA}, ${IDS.subnetB}`);
  });

  // BUG (reported): the comparison is length + "every configured id is in the service", not set
  // equality, so a duplicated configured id hides a subnet the config does not name.
  it('fails when config.network.subnets repeats one subnet and misses the other', async () => {
    const r = await runOne(check, healthy(), config({ network: { subnets: [IDS.subnetA, IDS.subnetA] } }));
    expect(r.status).toBe('fail');
    expect(r.findings.find((x) => x.status === 'fail')?.message).toContain('not the configured subnets');
  });

  it('reports error naming a subnet that does not exist', async () => {
    const data = healthy();
    data.subnets = data.subnets!.filter((s) => s.id !== IDS.subnetB);
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings.find((f) => f.status === 'error')!.message).toContain(`Subnet ${IDS.subnetB} of service ${SERVICE} not found`);
  });

  errorsWhenDenied(check, 'ec2:DescribeRouteTables', { mentions: [`route table of subnet ${IDS.subnetA}`] });

  errorsWhenDenied(check, 'ec2:DescribeSubnets');

  skipsWhenRootFails(check, ROOTS.insightServiceMissing);

  skipsWhenRootFails(check, ROOTS.insightServiceTwoSgs);
});
