import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/insight-network-vars.js';
import { healthy, IDS, latestTd, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

const INSIGHT = 'oe_edgi_insights_service';
const SERVICE = 'oe-edgi-insights-service';

describe('insight-network-vars', () => {
  it('passes when SUBNETS and SECURITY_GROUPS equal the service network', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings.map((f) => f.message)).toEqual([
      `Task definition ${INSIGHT}:1 sets SUBNETS=${IDS.subnetA},${IDS.subnetB}, the subnets of ECS service ${SERVICE}.`,
      `Task definition ${INSIGHT}:1 sets SECURITY_GROUPS=${IDS.edgiSg}, the security groups of ECS service ${SERVICE}.`,
    ]);
  });

  it('passes with another order in SUBNETS', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'SUBNETS', `${IDS.subnetB},${IDS.subnetA}`);
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
  });

  it('warns (list-whitespace) when SUBNETS is written runbook style "sub1, sub2"', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'SUBNETS', `${IDS.subnetA}, ${IDS.subnetB}`);
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    const f = r.findings[0]!;
    expect(f.code).toBe('insight-network-vars/list-whitespace');
    expect(f.message).toBe(
      `Task definition ${INSIGHT}:1 sets SUBNETS="${IDS.subnetA}, ${IDS.subnetB}" with white space around the ids (runbook style); trimmed they are the subnets of ECS service ${SERVICE}, but whether the Insight service trims them before launching Data tasks is not verified.`,
    );
    expect(f.expected).toBe(`"${IDS.subnetA},${IDS.subnetB}"`);
    expect(r.findings[1]!.status).toBe('pass');
  });

  it('fails (other-vpc) naming the VPC when SECURITY_GROUPS lists a group of another VPC', async () => {
    const data = healthy();
    data.securityGroups!.push({ id: 'sg-elsewhere', name: 'elsewhere', vpcId: 'vpc-other', ingress: [], egress: [] });
    setEnv(data, INSIGHT, 'SECURITY_GROUPS', `${IDS.edgiSg},sg-elsewhere`);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.code === 'insight-network-vars/other-vpc')!;
    expect(f.message).toBe(`Security group sg-elsewhere in SECURITY_GROUPS on ${INSIGHT}:1 is in vpc-other, not the Insight service's VPC ${IDS.vpc}; ECS refuses to launch Data tasks with it.`);
    expect(f.resource).toBe('sg-elsewhere');
    expect(f.found).toBe('VPC vpc-other');
  });

  it('fails (not-found) when SUBNETS lists a subnet that does not exist', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'SUBNETS', `${IDS.subnetA},${IDS.subnetB},subnet-gone`);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings.map((f) => f.code)).toEqual(['insight-network-vars/mismatch', 'insight-network-vars/not-found', undefined]);
    expect(r.findings[1]!.message).toBe(`Subnet subnet-gone in SUBNETS on ${INSIGHT}:1 does not exist; Data tasks launched with it fail to start.`);
  });

  it('fails when SUBNETS lists one of the two subnets', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'SUBNETS', IDS.subnetA);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toContain(`sets SUBNETS=${IDS.subnetA}, which misses ${IDS.subnetB}; ECS service ${SERVICE} uses ${IDS.subnetA}, ${IDS.subnetB}.`);
    expect(f.expected).toBe(`${IDS.subnetA},${IDS.subnetB}`);
    expect(f.found).toBe(IDS.subnetA);
    expect(r.findings.find((x) => x.message.includes('SECURITY_GROUPS'))!.status).toBe('pass');
  });

  it('fails when SUBNETS lists a subnet the service does not use', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'SUBNETS', `${IDS.subnetA},${IDS.publicSubnet}`);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toContain(`misses ${IDS.subnetB} and lists ${IDS.publicSubnet} that the service does not use`);
  });

  it('fails when SECURITY_GROUPS names another group', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'SECURITY_GROUPS', 'sg-ovaledge');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toContain(`sets SECURITY_GROUPS=sg-ovaledge, which misses ${IDS.edgiSg} and lists sg-ovaledge that the service does not use`);
    expect(f.expected).toBe(IDS.edgiSg);
    expect(f.found).toBe('sg-ovaledge');
  });

  it('fails and says so when SUBNETS is still the runbook placeholder', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'SUBNETS', '<edgi insight service two subnets> sub1, sub2');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('(still the runbook placeholder)');
  });

  it('fails when SECURITY_GROUPS is not set', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'SECURITY_GROUPS', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toBe(`Task definition ${INSIGHT}:1 has no SECURITY_GROUPS; the Insight service needs it to start Data tasks in its security groups.`);
    expect(f.expected).toBe(IDS.edgiSg);
    expect(f.found).toBe('not set');
  });

  it('reports error when SUBNETS comes from a secrets reference', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'SUBNETS', undefined);
    latestTd(data, INSIGHT).containers[0]!.secrets.push({ name: 'SUBNETS', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/subnets' });
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain('takes SUBNETS from a secrets reference');
  });

  skipsWhenRootFails(check, { ...ROOTS.insightServiceRemoved, when: 'the Insight service is missing' });

  skipsWhenRootFails(check, ROOTS.insightFamilyMissing);

  errorsWhenDenied(check, 'ecs:DescribeServices', { alone: true });

  errorsWhenDenied(check, 'ecs:DescribeTaskDefinition', { alone: true });
});
