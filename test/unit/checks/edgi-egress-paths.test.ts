import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/edgi-egress-paths.js';
import { config, IDS, runOne, sg, tcp } from '../../support/fixture-deployment.js';
import type { VpcEndpoint } from '../../../src/inventory/types.js';
import { errorsWhenDenied, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';
import { healthyEffective } from '../../support/effective-fixture.js';

const SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/acme/oe-edgi-insights-service';

describe('edgi-egress-paths', () => {
  it('passes when the default egress and default ACLs let every path through', async () => {
    const r = await runOne(check, healthyEffective());
    expect(r.status).toBe('pass');
    expect(r.findings.map((f) => f.message)).toEqual([
      `Insight tasks in ${IDS.subnetA}, ${IDS.subnetB} reach RDS (${IDS.rdsSg}) on TCP 3306 (security-group egress and network ACLs, both ways).`,
      `Insight tasks in ${IDS.subnetA}, ${IDS.subnetB} reach Elasticsearch (${IDS.esSg}) on TCP 9200 (security-group egress and network ACLs, both ways).`,
      `Insight tasks in ${IDS.subnetA}, ${IDS.subnetB} reach EFS ${IDS.fs} mount targets on TCP 2049 (security-group egress and network ACLs, both ways).`,
      `Insight tasks in ${IDS.subnetA}, ${IDS.subnetB} reach the AWS APIs on TCP 443 (security-group egress and network ACLs, both ways).`,
    ]);
    expect(r.findings[0]!.resource).toBe(SERVICE_ARN);
  });

  it('fails naming each blocked path when egress allows only HTTPS', async () => {
    const data = healthyEffective();
    sg(data, IDS.edgiSg).egress = [tcp(443, { cidrs: ['0.0.0.0/0'] })];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.filter((f) => f.status === 'fail');
    expect(bad.map((f) => f.message)).toEqual([
      `Insight tasks in ${IDS.subnetA} cannot reach RDS (${IDS.rdsSg}) on TCP 3306: no egress rule of ${IDS.edgiSg} allows it.`,
      `Insight tasks in ${IDS.subnetB} cannot reach RDS (${IDS.rdsSg}) on TCP 3306: no egress rule of ${IDS.edgiSg} allows it.`,
      `Insight tasks in ${IDS.subnetA} cannot reach Elasticsearch (${IDS.esSg}) on TCP 9200: no egress rule of ${IDS.edgiSg} allows it.`,
      `Insight tasks in ${IDS.subnetB} cannot reach Elasticsearch (${IDS.esSg}) on TCP 9200: no egress rule of ${IDS.edgiSg} allows it.`,
      `Insight tasks in ${IDS.subnetA} cannot reach EFS ${IDS.fs} mount targets on TCP 2049: no egress rule of ${IDS.edgiSg} allows it.`,
      `Insight tasks in ${IDS.subnetB} cannot reach EFS ${IDS.fs} mount targets on TCP 2049: no egress rule of ${IDS.edgiSg} allows it.`,
    ]);
    expect(bad[0]!.expected).toBe(`egress TCP 3306 to ${IDS.rdsSg} or 10.20.0.0/16`);
    expect(bad[0]!.found).toBe(`${IDS.edgiSg}: TCP 443 to 0.0.0.0/0`);
    expect(r.findings.at(-1)!.status).toBe('pass');
  });

  it('honours egress by group reference, and by a managed prefix list', async () => {
    const data = healthyEffective();
    sg(data, IDS.edgiSg).egress = [
      tcp(3306, { groups: [IDS.rdsSg] }),
      tcp(9200, { groups: [IDS.esSg] }),
      tcp(2049, { groups: [IDS.efsSg] }),
      { ...tcp(443, {}), prefixListIds: ['pl-internet'] },
    ];
    data.managedPrefixLists = [{ id: 'pl-internet', name: 'anywhere', addressFamily: 'IPv4', cidrs: ['0.0.0.0/0'] }];
    expect((await runOne(check, data)).status).toBe('pass');
    data.managedPrefixLists = [];
    const r = await runOne(check, data);
    expect(r.findings.filter((f) => f.status === 'fail').map((f) => f.message)).toEqual([
      `Insight tasks in ${IDS.subnetA} cannot reach the AWS APIs on TCP 443: no egress rule of ${IDS.edgiSg} allows it.`,
      `Insight tasks in ${IDS.subnetB} cannot reach the AWS APIs on TCP 443: no egress rule of ${IDS.edgiSg} allows it.`,
    ]);
  });

  describe('interface VPC endpoints with private DNS answer for their API whatever the route', () => {
    const withEndpoints = (ingress: ReturnType<typeof tcp>[]) => {
      const data = healthyEffective();
      data.securityGroups!.push({ id: 'sg-vpce', name: 'vpc-endpoints', vpcId: IDS.vpc, ingress, egress: [] });
      const ep = (service: string): VpcEndpoint => ({
        id: `vpce-${service}`,
        vpcId: IDS.vpc,
        serviceName: `com.amazonaws.us-east-1.${service}`,
        type: 'Interface',
        state: 'available',
        privateDnsEnabled: true,
        subnetIds: [IDS.subnetA, IDS.subnetB],
        routeTableIds: [],
        securityGroupIds: ['sg-vpce'],
      });
      // Beside the NAT gateway: logs and Secrets Manager still go to their endpoints.
      data.vpcEndpoints = [ep('logs'), ep('secretsmanager'), { ...ep('sqs'), privateDnsEnabled: false }];
      return data;
    };

    it('fails naming each endpoint whose security groups do not let the Insight tasks in on 443', async () => {
      const r = await runOne(check, withEndpoints([tcp(443, { groups: ['sg-vpce'] })]));
      const bad = r.findings.filter((f) => f.status === 'fail');
      expect(bad.map((f) => [f.code, f.resource, f.message])).toEqual(
        (['CloudWatch Logs', 'Secrets Manager'] as const).map((api, i) => {
          const id = i === 0 ? 'vpce-logs' : 'vpce-secretsmanager';
          return [
            'edgi-egress-paths/endpoint-ingress-blocked',
            id,
            `Insight tasks in ${IDS.subnetA}, ${IDS.subnetB} cannot reach ${api} on TCP 443: its VPC endpoint ${id} (private DNS) answers for it in the VPC, and no inbound rule of the endpoint's security groups sg-vpce allows ${IDS.edgiSg} or 10.20.1.0/24, 10.20.2.0/24.`,
          ];
        }),
      );
      expect(bad[0]!.found).toBe('sg-vpce: TCP 443 from sg-vpce');
    });

    it('passes when the endpoints admit the Edgi group, or a range containing the Insight subnets', async () => {
      expect((await runOne(check, withEndpoints([tcp(443, { groups: [IDS.edgiSg] })]))).status).toBe('pass');
      expect((await runOne(check, withEndpoints([tcp(443, { cidrs: ['10.20.0.0/16'] })]))).status).toBe('pass');
    });
  });

  it('a network ACL that denies a private range (a corporate network, say) before allowing all does not block the AWS APIs through the NAT gateway', async () => {
    const data = healthyEffective();
    const acl = data.networkAcls![0]!;
    acl.entries.push({ ruleNumber: 50, egress: true, protocol: '-1', action: 'deny', cidr: '192.168.0.0/16' }, { ruleNumber: 50, egress: false, protocol: '-1', action: 'deny', cidr: '192.168.0.0/16' });
    const r = await runOne(check, data);
    expect(r.findings.map((f) => f.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
  });

  it('fails naming the network ACL that drops the replies (stateless)', async () => {
    const data = healthyEffective();
    data.networkAcls!.push({
      id: 'acl-insight',
      vpcId: IDS.vpc,
      isDefault: false,
      subnetIds: [IDS.subnetA],
      entries: [
        { ruleNumber: 100, egress: true, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' },
        { ruleNumber: 100, egress: false, protocol: '6', action: 'allow', cidr: '10.20.0.0/16', fromPort: 8000, toPort: 8000 },
      ],
    });
    const r = await runOne(check, data);
    const bad = r.findings.filter((f) => f.status === 'fail');
    expect(bad[0]).toEqual({
      status: 'fail',
      code: 'edgi-egress-paths/acl-blocked',
      fingerprint: 'edgi-egress-paths/acl-blocked@acl-insight',
      message: `Insight tasks in ${IDS.subnetA} cannot reach RDS (${IDS.rdsSg}) on TCP 3306: network ACL acl-insight blocks inbound TCP 32768-60999 (replies) from 10.20.0.0/16: no rule allows it (the final deny *), ports 32768-60999.`,
      resource: 'acl-insight',
      expected: 'TCP 3306 and its replies allowed both ways',
      found: 'network ACL acl-insight blocks inbound TCP 32768-60999 (replies) from 10.20.0.0/16: no rule allows it (the final deny *), ports 32768-60999',
    });
    // EFS: the mount target is in the same subnet, where network ACLs do not apply; the AWS APIs go out through the NAT.
    expect(bad.map((f) => f.message.split(':')[0])).toEqual([
      `Insight tasks in ${IDS.subnetA} cannot reach RDS (${IDS.rdsSg}) on TCP 3306`,
      `Insight tasks in ${IDS.subnetA} cannot reach Elasticsearch (${IDS.esSg}) on TCP 9200`,
      `Insight tasks in ${IDS.subnetA} cannot reach the AWS APIs on TCP 443`,
    ]);
  });

  it('uses every security group of the service, with network.edgiSecurityGroup pinned', async () => {
    const data = healthyEffective();
    data.services![0]!.securityGroups = [IDS.edgiSg, 'sg-extra'];
    sg(data, IDS.edgiSg).egress = [];
    data.securityGroups!.push({ id: 'sg-extra', name: 'extra', vpcId: IDS.vpc, ingress: [], egress: [{ ...tcp(0, { cidrs: ['0.0.0.0/0'] }), protocol: '-1', fromPort: undefined, toPort: undefined }] });
    const r = await runOne(check, data, config({ network: { edgiSecurityGroup: IDS.edgiSg } }));
    expect(r.status).toBe('pass');
  });

  skipsWhenRootFails(check, { ...ROOTS.insightServiceMissing, base: healthyEffective });
  errorsWhenDenied(check, 'ec2:DescribeNetworkAcls', { base: healthyEffective });
});
