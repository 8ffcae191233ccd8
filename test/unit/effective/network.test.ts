import { describe, expect, it } from 'vitest';
import { aclAllows, aclConversation, groupsAllow, PUBLIC_IPV4, rulesAllow, wayOut } from '../../../src/effective/network.js';
import type { IpPermission, NetworkAcl, NetworkAclEntry, RouteTable, SecurityGroup, VpcEndpoint } from '../../../src/inventory/types.js';

const entry = (ruleNumber: number, egress: boolean, action: 'allow' | 'deny', cidr: string, protocol = '6', fromPort?: number, toPort?: number): NetworkAclEntry => ({ ruleNumber, egress, action, cidr, protocol, fromPort, toPort });
const acl = (...entries: NetworkAclEntry[]): NetworkAcl => ({ id: 'acl-1', vpcId: 'vpc-1', isDefault: false, entries: [...entries, entry(32767, true, 'deny', '0.0.0.0/0', '-1'), entry(32767, false, 'deny', '0.0.0.0/0', '-1')] });
const rule = (p: Partial<IpPermission>): IpPermission => ({ protocol: 'tcp', cidrs: [], ipv6Cidrs: [], groupIds: [], prefixListIds: [], ...p });
const sg = (id: string, egress: IpPermission[], ingress: IpPermission[] = []): SecurityGroup => ({ id, name: id, ingress, egress });

describe('network ACLs (stateless, first matching rule by number)', () => {
  it('the default ACL (allow all, rule 100) passes both directions', () => {
    const a = acl(entry(100, true, 'allow', '0.0.0.0/0', '-1'), entry(100, false, 'allow', '0.0.0.0/0', '-1'));
    expect(aclConversation(a, 'source', 3306, '10.0.1.0/24', '10.0.0.0/16')).toEqual({ ok: true });
  });

  it('a lower-numbered deny wins over a later allow', () => {
    const a = acl(entry(90, true, 'deny', '10.0.0.0/16', '6', 3306, 3306), entry(100, true, 'allow', '0.0.0.0/0', '-1'));
    expect(aclAllows(a, true, { from: 3306, to: 3306 }, '10.0.5.0/24')).toEqual({ allowed: false, rule: 90, ports: { from: 3306, to: 3306 } });
    const b = acl(entry(80, true, 'allow', '0.0.0.0/0', '-1'), entry(90, true, 'deny', '10.0.0.0/16', '6', 3306, 3306));
    expect(aclAllows(b, true, { from: 3306, to: 3306 }, '10.0.5.0/24')).toEqual({ allowed: true, rules: [80] });
  });

  it('replies need the ephemeral ports inbound: an ACL that allows only the request fails the conversation', () => {
    const a = acl(entry(100, true, 'allow', '10.0.0.0/16', '6', 3306, 3306), entry(100, false, 'allow', '10.0.0.0/16', '6', 3306, 3306));
    expect(aclConversation(a, 'source', 3306, '10.0.1.0/24', '10.0.0.0/16')).toEqual({
      ok: false,
      why: 'network ACL acl-1 blocks inbound TCP 32768-60999 (replies) from 10.0.0.0/16: no rule allows it (the final deny *), ports 32768-60999',
    });
  });

  it('a port range decided by several rules: allowed only when every part is allowed', () => {
    const a = acl(entry(100, false, 'allow', '0.0.0.0/0', '6', 32768, 50000), entry(110, false, 'allow', '0.0.0.0/0', '6', 50001, 65535));
    expect(aclAllows(a, false, { from: 32768, to: 60999 }, '10.0.0.0/16')).toEqual({ allowed: true, rules: [100, 110] });
    const b = acl(entry(100, false, 'allow', '0.0.0.0/0', '6', 32768, 50000), entry(105, false, 'deny', '0.0.0.0/0', '-1'));
    expect(aclAllows(b, false, { from: 32768, to: 60999 }, '10.0.0.0/16')).toEqual({ allowed: false, rule: 105, ports: { from: 50001, to: 60999 } });
  });

  it('a deny covering part of the peer range blocks those addresses (partial); an allow covering part does not suffice', () => {
    const a = acl(entry(90, true, 'deny', '10.0.3.0/24', '-1'), entry(100, true, 'allow', '0.0.0.0/0', '-1'));
    expect(aclAllows(a, true, { from: 443, to: 443 }, '10.0.0.0/16')).toEqual({ allowed: false, rule: 90, ports: { from: 443, to: 443 }, partial: true });
    const b = acl(entry(100, true, 'allow', '10.0.3.0/24', '-1'));
    expect(aclAllows(b, true, { from: 443, to: 443 }, '10.0.0.0/16')).toEqual({ allowed: false, ports: { from: 443, to: 443 } });
  });

  it('several allows may cover the peer range together: each decides the addresses it covers', () => {
    const a = acl(entry(100, true, 'allow', '10.0.0.0/17', '6', 443, 443), entry(110, true, 'allow', '10.0.128.0/17', '6', 443, 443));
    expect(aclAllows(a, true, { from: 443, to: 443 }, '10.0.0.0/16')).toEqual({ allowed: true, rules: [100, 110] });
    // Addresses an earlier allow decided are not denied by a later deny.
    const b = acl(entry(100, true, 'allow', '10.0.0.0/17', '-1'), entry(110, true, 'deny', '10.0.0.0/16', '-1'));
    expect(aclAllows(b, true, { from: 443, to: 443 }, '10.0.0.0/17')).toEqual({ allowed: true, rules: [100] });
    expect(aclAllows(b, true, { from: 443, to: 443 }, '10.0.0.0/16')).toEqual({ allowed: false, rule: 110, ports: { from: 443, to: 443 } });
  });

  it('on the way to public AWS endpoints, rules about private ranges alone do not matter; a deny of a public range does', () => {
    expect(PUBLIC_IPV4.ranges.length).toBeGreaterThan(3);
    const a = acl(entry(50, true, 'deny', '192.168.0.0/16', '-1'), entry(60, true, 'deny', '10.0.0.0/8', '-1'), entry(100, true, 'allow', '0.0.0.0/0', '-1'), entry(100, false, 'allow', '0.0.0.0/0', '-1'));
    expect(aclAllows(a, true, { from: 443, to: 443 }, PUBLIC_IPV4)).toEqual({ allowed: true, rules: [100] });
    expect(aclConversation(a, 'source', 443, '10.0.1.0/24', PUBLIC_IPV4)).toEqual({ ok: true });
    // As a plain CIDR, 0.0.0.0/0 still meets those denies.
    expect(aclAllows(a, true, { from: 443, to: 443 }, '0.0.0.0/0')).toEqual({ allowed: false, rule: 50, ports: { from: 443, to: 443 }, partial: true });
    const b = acl(entry(50, true, 'deny', '203.0.113.0/24', '-1'), entry(100, true, 'allow', '0.0.0.0/0', '-1'), entry(100, false, 'allow', '0.0.0.0/0', '-1'));
    expect(aclConversation(b, 'source', 443, '10.0.1.0/24', PUBLIC_IPV4)).toEqual({
      ok: false,
      why: 'network ACL acl-1 blocks outbound TCP 443 to 0.0.0.0/0 (public addresses): rule 50 denies part of the range, ports 443',
    });
  });

  it('UDP rules do not carry TCP', () => {
    const a = acl(entry(100, true, 'allow', '0.0.0.0/0', '17'));
    expect(aclAllows(a, true, { from: 2049, to: 2049 }, '10.0.0.0/16').allowed).toBe(false);
  });
});

describe('security groups', () => {
  it('egress by group reference, by CIDR covering every peer range, and by prefix list', () => {
    const peer = { groupIds: ['sg-rds'], cidrs: ['10.0.8.0/24'] };
    expect(rulesAllow([rule({ fromPort: 3306, toPort: 3306, groupIds: ['sg-rds'] })], 3306, peer)).toBeDefined();
    expect(rulesAllow([rule({ fromPort: 3306, toPort: 3306, cidrs: ['10.0.0.0/16'] })], 3306, peer)).toBeDefined();
    expect(rulesAllow([rule({ fromPort: 3306, toPort: 3306, cidrs: ['10.0.9.0/24'] })], 3306, peer)).toBeUndefined();
    expect(rulesAllow([rule({ fromPort: 3306, toPort: 3306, prefixListIds: ['pl-1'] })], 3306, peer, { 'pl-1': ['10.0.8.0/22'] })).toBeDefined();
    expect(rulesAllow([rule({ fromPort: 3306, toPort: 3306, prefixListIds: ['pl-1'] })], 3306, peer)).toBeUndefined();
    expect(rulesAllow([rule({ fromPort: 9200, toPort: 9200, cidrs: ['0.0.0.0/0'] })], 3306, peer)).toBeUndefined();
    expect(rulesAllow([rule({ protocol: '-1', cidrs: ['0.0.0.0/0'] })], 3306, peer)).toBeDefined();
  });

  it('any one of several groups may allow', () => {
    const groups = [sg('sg-a', []), sg('sg-b', [rule({ fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'] })])];
    expect(groupsAllow(groups, 'egress', 443, { groupIds: [], cidrs: ['0.0.0.0/0'] })?.group.id).toBe('sg-b');
    expect(groupsAllow(groups, 'egress', 2049, { groupIds: [], cidrs: ['0.0.0.0/0'] })).toBeUndefined();
  });
});

describe('the way out to AWS APIs', () => {
  const table = (routes: RouteTable['routes']): RouteTable => ({ id: 'rtb-1', vpcId: 'vpc-1', main: false, association: 'explicit', routes });
  const ep = (service: string, type: 'Interface' | 'Gateway', extra: Partial<VpcEndpoint> = {}): VpcEndpoint => ({
    id: `vpce-${service}`, vpcId: 'vpc-1', serviceName: `com.amazonaws.eu-west-1.${service}`, type, state: 'available', privateDnsEnabled: type === 'Interface', subnetIds: [], routeTableIds: type === 'Gateway' ? ['rtb-1'] : [], securityGroupIds: [], ...extra,
  });
  const all = ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'sqs', 'ecs', 'servicediscovery', 'data-servicediscovery'].map((s) => ep(s, 'Interface')).concat(ep('s3', 'Gateway'));

  it('a default route to an available NAT gateway is a way out (private)', () => {
    expect(wayOut(table([{ destinationCidr: '0.0.0.0/0', natGatewayId: 'nat-1', state: 'active' }]), [{ id: 'nat-1', vpcId: 'vpc-1', subnetId: 's', state: 'available' }], [], 'eu-west-1')).toEqual({ kind: 'nat', natGatewayId: 'nat-1' });
  });

  it('a blackhole route or a deleted NAT gateway routes nothing (isolated)', () => {
    const w = wayOut(table([{ destinationCidr: '0.0.0.0/0', natGatewayId: 'nat-1', state: 'blackhole' }]), [], [], 'eu-west-1');
    expect(w).toMatchObject({ kind: 'isolated', blackhole: 'nat-1' });
    expect(w.kind === 'isolated' && w.missing.map((m) => m.label)).toEqual(['ECR', 'CloudWatch Logs', 'Secrets Manager', 'SQS', 'S3', 'ECS', 'Cloud Map']);
    const d = wayOut(table([{ destinationCidr: '0.0.0.0/0', natGatewayId: 'nat-1', state: 'active' }]), [{ id: 'nat-1', vpcId: 'vpc-1', subnetId: 's', state: 'deleted' }], [], 'eu-west-1');
    expect(d).toMatchObject({ kind: 'isolated', blackhole: 'nat-1 (deleted)' });
  });

  it('an isolated subnet with every endpoint reaches every API', () => {
    const w = wayOut(table([{ destinationCidr: '10.0.0.0/16', gatewayId: 'local', state: 'active' }]), [], all, 'eu-west-1');
    expect(w).toEqual({
      kind: 'isolated',
      missing: [],
      via: { ECR: ['vpce-ecr.api', 'vpce-ecr.dkr'], 'CloudWatch Logs': ['vpce-logs'], 'Secrets Manager': ['vpce-secretsmanager'], SQS: ['vpce-sqs'], S3: ['vpce-s3'], ECS: ['vpce-ecs'], 'Cloud Map': ['vpce-servicediscovery', 'vpce-data-servicediscovery'] },
    });
  });

  it('an interface endpoint without private DNS, and an S3 gateway endpoint on another route table, do not count', () => {
    const eps = all.map((e) => (e.serviceName.endsWith('.sqs') ? { ...e, privateDnsEnabled: false } : e.serviceName.endsWith('.s3') ? { ...e, routeTableIds: ['rtb-other'] } : e));
    const w = wayOut(table([]), [], eps, 'eu-west-1');
    expect(w.kind === 'isolated' && w.missing).toEqual([{ label: 'SQS', endpoints: ['com.amazonaws.eu-west-1.sqs'] }, { label: 'S3', endpoints: ['com.amazonaws.eu-west-1.s3'] }]);
  });

  it('a default route to a transit gateway, a NAT instance or a virtual private gateway is forwarded beyond the VPC, not isolated', () => {
    const missing = ['ECR', 'CloudWatch Logs', 'Secrets Manager', 'SQS', 'S3', 'ECS', 'Cloud Map'];
    const tgw = wayOut(table([{ destinationCidr: '0.0.0.0/0', transitGatewayId: 'tgw-1', state: 'active' }]), [], [], 'eu-west-1');
    expect(tgw).toMatchObject({ kind: 'forwarded', target: 'tgw-1', what: 'transit gateway', via: {} });
    expect(tgw.kind === 'forwarded' && tgw.missing.map((m) => m.label)).toEqual(missing);
    expect(wayOut(table([{ destinationCidr: '0.0.0.0/0', instanceId: 'i-1', networkInterfaceId: 'eni-1', state: 'active' }]), [], [], 'eu-west-1')).toMatchObject({ kind: 'forwarded', target: 'i-1' });
    expect(wayOut(table([{ destinationCidr: '0.0.0.0/0', networkInterfaceId: 'eni-1', state: 'active' }]), [], [], 'eu-west-1')).toMatchObject({ kind: 'forwarded', target: 'eni-1' });
    expect(wayOut(table([{ destinationCidr: '0.0.0.0/0', gatewayId: 'vgw-1', state: 'active' }]), [], [], 'eu-west-1')).toMatchObject({ kind: 'forwarded', target: 'vgw-1' });
    // Endpoints still serve what they serve, whatever the default route.
    expect(wayOut(table([{ destinationCidr: '0.0.0.0/0', transitGatewayId: 'tgw-1', state: 'active' }]), [], all, 'eu-west-1')).toMatchObject({ kind: 'forwarded', missing: [] });
  });

  it('a private NAT gateway is no internet way out of its own: forwarded, not nat', () => {
    const w = wayOut(table([{ destinationCidr: '0.0.0.0/0', natGatewayId: 'nat-p', state: 'active' }]), [{ id: 'nat-p', vpcId: 'vpc-1', subnetId: 's', state: 'available', connectivityType: 'private' }], [], 'eu-west-1');
    expect(w).toMatchObject({ kind: 'forwarded', target: 'nat-p', what: 'private NAT gateway', note: 'no internet access of its own' });
  });

  it('an internet gateway route is a public way out', () => {
    expect(wayOut(table([{ destinationCidr: '0.0.0.0/0', gatewayId: 'igw-1', state: 'active' }]), [], [], 'eu-west-1')).toEqual({ kind: 'igw', gatewayId: 'igw-1' });
  });
});
