import { describe, expect, it } from 'vitest';
import { cidrContains, sameCidr } from '../../src/effective/cidr.js';
import { ingressCoverage } from '../../src/checks/support/sg.js';
import type { IpPermission, SecurityGroup } from '../../src/inventory/types.js';
import { allTraffic, tcp } from '../support/fixture-deployment.js';

const group = (...ingress: IpPermission[]): SecurityGroup => ({ id: 'sg-t', name: 't', vpcId: 'vpc-1', ingress, egress: [] });
const range = (from: number, to: number, src: { groups?: string[]; cidrs?: string[] }): IpPermission => ({ ...tcp(from, src), toPort: to });

describe('cidrContains', () => {
  it.each([
    ['10.20.0.0/16', '10.20.0.0/16', true],
    ['10.20.0.0/16', '10.20.1.0/24', true],
    ['10.20.0.0/16', '10.20.255.255/32', true],
    ['10.0.0.0/8', '10.20.0.0/16', true],
    ['0.0.0.0/0', '10.20.0.0/16', true],
    ['0.0.0.0/0', '255.255.255.255/32', true],
    ['10.20.0.0/15', '10.21.0.0/16', true],
    ['128.0.0.0/1', '200.1.1.1/32', true],
    ['10.20.1.0/24', '10.20.0.0/16', false],
    ['10.20.0.0/16', '10.21.0.0/16', false],
    ['10.20.0.0/16', '10.21.0.0/24', false],
    ['10.20.0.0/16', '0.0.0.0/0', false],
    ['128.0.0.0/1', '10.0.0.0/8', false],
    ['10.20.1.0/24', '10.20.2.0/24', false],
    ['192.168.0.0/16', '10.20.0.0/16', false],
  ])('%s contains %s: %s', (outer, inner, want) => {
    expect(cidrContains(outer, inner)).toBe(want);
  });

  it('ignores host bits set in the outer range', () => {
    expect(cidrContains('10.20.1.5/16', '10.20.200.0/24')).toBe(true);
    expect(cidrContains('10.20.1.5/16', '10.21.0.0/24')).toBe(false);
  });

  it('tolerates surrounding whitespace', () => {
    expect(cidrContains(' 10.20.0.0/16 ', '10.20.1.0/24')).toBe(true);
  });

  it.each([
    ['256.0.0.0/8', '10.0.0.0/8'],
    ['10.0.0.0/33', '10.0.0.0/32'],
    ['10.0.0.0', '10.0.0.0/8'],
    ['10.0.0/8', '10.0.0.0/8'],
    ['not a cidr', '10.0.0.0/8'],
    ['::/0', '10.0.0.0/8'],
    ['10.0.0.0/8', '2001:db8::/32'],
    ['10.0.0.0/8', ''],
  ])('is false for malformed or IPv6 input (%s, %s)', (outer, inner) => {
    expect(cidrContains(outer, inner)).toBe(false);
  });

  it('sameCidr is true only for the same range', () => {
    expect(sameCidr('10.20.0.0/16', '10.20.0.0/16')).toBe(true);
    expect(sameCidr('10.20.0.0/16', '10.20.0.0/17')).toBe(false);
    expect(sameCidr('10.20.0.0/16', '10.21.0.0/16')).toBe(false);
  });
});

describe('ingressCoverage from a security group', () => {
  it('is exact for TCP <port> from the group', () => {
    const rule = tcp(9200, { groups: ['sg-peer'] });
    expect(ingressCoverage(group(rule), 9200, { groupId: 'sg-peer' })).toEqual({ kind: 'exact', rule, why: undefined });
  });

  it('accepts protocol "6" as TCP', () => {
    expect(ingressCoverage(group({ ...tcp(9200, { groups: ['sg-peer'] }), protocol: '6' }), 9200, { groupId: 'sg-peer' })?.kind).toBe('exact');
  });

  it('is undefined when there is no inbound rule', () => {
    expect(ingressCoverage(group(), 9200, { groupId: 'sg-peer' })).toBeUndefined();
  });

  it('is undefined for another port, another group, UDP or ICMP', () => {
    expect(ingressCoverage(group(tcp(9300, { groups: ['sg-peer'] })), 9200, { groupId: 'sg-peer' })).toBeUndefined();
    expect(ingressCoverage(group(tcp(9200, { groups: ['sg-other'] })), 9200, { groupId: 'sg-peer' })).toBeUndefined();
    expect(ingressCoverage(group({ ...tcp(9200, { groups: ['sg-peer'] }), protocol: 'udp' }), 9200, { groupId: 'sg-peer' })).toBeUndefined();
    expect(ingressCoverage(group({ ...tcp(9200, { groups: ['sg-peer'] }), protocol: 'icmp' }), 9200, { groupId: 'sg-peer' })).toBeUndefined();
  });

  it('is broader for all traffic from the group', () => {
    const c = ingressCoverage(group(allTraffic({ groups: ['sg-peer'] })), 2049, { groupId: 'sg-peer' });
    expect(c?.kind).toBe('broader');
    expect(c?.why).toBe('all protocols and ports');
  });

  it('is broader for a port range containing the port, and undefined for one that does not', () => {
    const c = ingressCoverage(group(range(9000, 9300, { groups: ['sg-peer'] })), 9200, { groupId: 'sg-peer' });
    expect(c?.kind).toBe('broader');
    expect(c?.why).toBe('ports 9000-9300');
    expect(ingressCoverage(group(range(9000, 9100, { groups: ['sg-peer'] })), 9200, { groupId: 'sg-peer' })).toBeUndefined();
  });

  it('includes both ends of a port range', () => {
    expect(ingressCoverage(group(range(9200, 9300, { groups: ['sg-peer'] })), 9200, { groupId: 'sg-peer' })?.kind).toBe('broader');
    expect(ingressCoverage(group(range(9100, 9200, { groups: ['sg-peer'] })), 9200, { groupId: 'sg-peer' })?.kind).toBe('broader');
  });

  it('prefers an exact rule over a broader one, whichever comes first', () => {
    const exact = tcp(9200, { groups: ['sg-peer'] });
    const all = allTraffic({ groups: ['sg-peer'] });
    expect(ingressCoverage(group(all, exact), 9200, { groupId: 'sg-peer' })?.rule).toBe(exact);
    expect(ingressCoverage(group(exact, all), 9200, { groupId: 'sg-peer' })?.rule).toBe(exact);
  });

  it('finds the group among several sources of one rule', () => {
    expect(ingressCoverage(group(tcp(3306, { groups: ['sg-a', 'sg-peer'] })), 3306, { groupId: 'sg-peer' })?.kind).toBe('exact');
  });

  it('does not count a CIDR rule when only a group is asked for and no CIDR is given', () => {
    expect(ingressCoverage(group(tcp(3306, { cidrs: ['10.20.0.0/16'] })), 3306, { groupId: 'sg-peer' })).toBeUndefined();
  });
});

describe('ingressCoverage from address ranges', () => {
  const vpc = { cidrs: ['10.20.0.0/16'], exactWithin: ['10.20.0.0/16'] };

  it('is exact for TCP <port> from the VPC CIDR', () => {
    expect(ingressCoverage(group(tcp(8000, { cidrs: ['10.20.0.0/16'] })), 8000, vpc)?.kind).toBe('exact');
  });

  it('is broader, for a wider address range, from 0.0.0.0/0 or 10.0.0.0/8', () => {
    for (const cidr of ['0.0.0.0/0', '10.0.0.0/8']) {
      const c = ingressCoverage(group(tcp(8000, { cidrs: [cidr] })), 8000, vpc);
      expect(c?.kind).toBe('broader');
      expect(c?.why).toBe('a wider address range');
    }
  });

  it('is undefined for a range that covers only part of the VPC, or another range', () => {
    expect(ingressCoverage(group(tcp(8000, { cidrs: ['10.20.1.0/24'] })), 8000, vpc)).toBeUndefined();
    expect(ingressCoverage(group(tcp(8000, { cidrs: ['192.168.0.0/16'] })), 8000, vpc)).toBeUndefined();
  });

  it('is exact for a range inside a secondary VPC CIDR that covers the wanted range', () => {
    const c = ingressCoverage(group(tcp(8000, { cidrs: ['10.20.0.0/15'] })), 8000, { cidrs: ['10.20.0.0/16'], exactWithin: ['10.20.0.0/16', '10.20.0.0/15'] });
    expect(c?.kind).toBe('exact');
  });

  it('without exactWithin, a range equal to the wanted one is exact and a wider one broader', () => {
    expect(ingressCoverage(group(tcp(8000, { cidrs: ['10.20.1.0/24'] })), 8000, { cidrs: ['10.20.1.0/24'] })?.kind).toBe('exact');
    expect(ingressCoverage(group(tcp(8000, { cidrs: ['10.20.0.0/16'] })), 8000, { cidrs: ['10.20.1.0/24'] })?.kind).toBe('broader');
  });

  it('is broader for all traffic from the VPC CIDR, naming protocols and ports', () => {
    const c = ingressCoverage(group(allTraffic({ cidrs: ['10.20.0.0/16'] })), 8000, vpc);
    expect(c?.kind).toBe('broader');
    expect(c?.why).toBe('all protocols and ports');
  });

  // BUG (reported): AWS returns one IpPermission per protocol/port with all its CIDRs; a rule that
  // lists each Insight subnet CIDR covers them all, but ingressCoverage asks for one CIDR that
  // contains every wanted range, so it answers "not covered".
  it('is exact for one rule listing each wanted subnet CIDR', () => {
    const sgx = group(tcp(8000, { cidrs: ['10.20.1.0/24', '10.20.2.0/24'] }));
    const c = ingressCoverage(sgx, 8000, { cidrs: ['10.20.1.0/24', '10.20.2.0/24'] });
    expect(c?.kind).toBe('exact');
  });
});
