import check from '../../../src/checks/rds-sg-allows-edgi.js';
import { describe, expect, it } from 'vitest';
import { config, healthy, IDS, runOne, sg, tcp } from '../../support/fixture-deployment.js';
import { ingressRuleSuite } from '../../support/ingress-rule-cases.js';

// The RDS SG must let TCP 3306 in from the Edgi SG (SGs are stateful).
ingressRuleSuite(check, { target: IDS.rdsSg, targetRole: 'RDS', targetName: 'rds', peer: IDS.edgiSg, peerRole: 'Edgi', port: 3306, portKey: 'mysql' });

describe('rds-sg-allows-edgi with two security groups on the Insight service', () => {
  const twoGroups = (admitted: string) => {
    const data = healthy();
    data.services!.find((s) => s.name === 'oe-edgi-insights-service')!.securityGroups = [IDS.edgiSg, 'sg-db-clients'];
    sg(data, IDS.rdsSg).ingress = [tcp(3306, { groups: [admitted] })];
    return data;
  };
  const pinned = config({ network: { edgiSecurityGroup: IDS.edgiSg } });

  it('passes when the RDS group admits the other group the tasks carry, naming it', async () => {
    const r = await runOne(check, twoGroups('sg-db-clients'), pinned);
    expect(r.findings.map((f) => [f.status, f.message])).toEqual([
      ['pass', `Security group ${IDS.rdsSg} (RDS, rds) allows TCP 3306 from sg-db-clients (a security group the Insight service runs with beside ${IDS.edgiSg}).`],
    ]);
  });

  it('fails when it admits a group the tasks do not carry', async () => {
    const r = await runOne(check, twoGroups('sg-somebody-else'), pinned);
    expect(r.findings.map((f) => [f.status, f.code])).toEqual([['fail', 'rds-sg-allows-edgi/missing-rule']]);
  });
});
