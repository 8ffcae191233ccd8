import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/edgi-callers-reach-8000.js';
import { IDS, runOne, sg, tcp } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';
import { healthyEffective } from '../../support/effective-fixture.js';

function uiInPublicSubnet() {
  const data = healthyEffective();
  data.services!.find((s) => s.name === 'ovaledge-ui')!.subnets = [IDS.publicSubnet];
  return data;
}

describe('edgi-callers-reach-8000', () => {
  it('passes when the 8000 rule (VPC CIDR) covers the UI and Job subnets', async () => {
    const r = await runOne(check, healthyEffective());
    expect(r.findings.map((f) => [f.status, f.message])).toEqual([
      ['pass', `OvalEdge UI tasks in ${IDS.subnetA}, ${IDS.subnetB} reach Insight on TCP 8000 (Edgi ingress, their egress and the network ACLs).`],
      ['pass', `OvalEdge Job tasks in ${IDS.subnetA}, ${IDS.subnetB} reach Insight on TCP 8000 (Edgi ingress, their egress and the network ACLs).`],
    ]);
  });

  it('fails when the 8000 rule covers only the Insight subnets and the UI runs elsewhere', async () => {
    const data = uiInPublicSubnet();
    sg(data, IDS.edgiSg).ingress[0] = tcp(8000, { cidrs: ['10.20.0.0/20'] });
    const r = await runOne(check, data);
    expect(r.findings[0]).toEqual({
      status: 'fail',
      code: 'edgi-callers-reach-8000/ingress-blocked',
      fingerprint: `edgi-callers-reach-8000/ingress-blocked@${IDS.edgiSg}`,
      message: `OvalEdge UI tasks in ${IDS.publicSubnet} cannot reach Insight on TCP 8000: no inbound rule of ${IDS.edgiSg} allows sg-ovaledge or 10.20.100.0/24.`,
      resource: IDS.edgiSg,
      expected: 'inbound TCP 8000 from sg-ovaledge or a range containing 10.20.100.0/24',
      found: `${IDS.edgiSg}: TCP 8000 from 10.20.0.0/20; TCP 9200 from ${IDS.esSg}; TCP 3306 from ${IDS.rdsSg}; TCP 2049 from ${IDS.efsSg}`,
    });
    expect(r.findings[1]!.status).toBe('pass');
  });

  it('warns, never passes, for a caller without awsvpc networking (EC2 bridge or host mode): its path is not followed', async () => {
    const data = healthyEffective();
    const ui = data.services!.find((s) => s.name === 'ovaledge-ui')!;
    ui.subnets = [];
    ui.securityGroups = [];
    ui.launchType = 'EC2';
    const r = await runOne(check, data);
    expect(r.findings.map((f) => [f.status, f.code])).toEqual([
      ['warn', 'edgi-callers-reach-8000/caller-not-awsvpc'],
      ['pass', undefined],
    ]);
    expect(r.findings[0]!.message).toBe(
      "OvalEdge UI service ovaledge-ui has no awsvpc network configuration (no subnets or security groups of its own, launch type EC2): its tasks reach Insight from their container instances' network, which the doctor does not read; the path to Insight on TCP 8000 is not verified.",
    );
  });

  it('passes when the rule names the callers\' security group instead of a range', async () => {
    const data = uiInPublicSubnet();
    sg(data, IDS.edgiSg).ingress[0] = tcp(8000, { groups: ['sg-ovaledge'] });
    expect((await runOne(check, data)).status).toBe('pass');
  });

  it('fails naming the caller subnet\'s network ACL that denies 8000 out', async () => {
    const data = uiInPublicSubnet();
    data.networkAcls!.push({
      id: 'acl-public',
      vpcId: IDS.vpc,
      isDefault: false,
      subnetIds: [IDS.publicSubnet],
      entries: [
        { ruleNumber: 50, egress: true, protocol: '6', action: 'deny', cidr: '10.20.0.0/16', fromPort: 8000, toPort: 8000 },
        { ruleNumber: 100, egress: true, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' },
        { ruleNumber: 100, egress: false, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' },
      ],
    });
    const r = await runOne(check, data);
    expect(r.findings.map((f) => f.message)).toEqual([
      `OvalEdge UI tasks in ${IDS.publicSubnet} cannot reach Insight in ${IDS.subnetA} on TCP 8000: network ACL acl-public blocks outbound TCP 8000 to 10.20.1.0/24: rule 50 denies it, ports 8000.`,
      `OvalEdge UI tasks in ${IDS.publicSubnet} cannot reach Insight in ${IDS.subnetB} on TCP 8000: network ACL acl-public blocks outbound TCP 8000 to 10.20.2.0/24: rule 50 denies it, ports 8000.`,
      `OvalEdge Job tasks in ${IDS.subnetA}, ${IDS.subnetB} reach Insight on TCP 8000 (Edgi ingress, their egress and the network ACLs).`,
    ]);
  });

  it('is skip for a caller service that does not exist', async () => {
    const data = healthyEffective();
    data.services = data.services!.filter((s) => s.name !== 'ovaledge-job');
    const r = await runOne(check, data);
    expect(r.findings[1]).toEqual({ status: 'skip', code: 'edgi-callers-reach-8000/caller-not-found', fingerprint: 'edgi-callers-reach-8000/caller-not-found@ovaledge-job', message: 'OvalEdge Job service ovaledge-job not found in cluster acme; its path to Insight is not verified.', resource: 'ovaledge-job' });
  });

  skipsWhenRootFails(check, { ...ROOTS.insightServiceMissing, base: healthyEffective });
  errorsWhenDenied(check, 'ec2:DescribeNetworkAcls', { base: healthyEffective });
});
