import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/insight-service-network.js';
import { config, healthy, IDS, runOne } from '../../support/fixture-deployment.js';
import { errorsWhenDenied } from '../../support/common-cases.js';

const SERVICE = 'oe-edgi-insights-service';

describe('insight-service-network', () => {
  it('passes for the healthy deployment, naming subnets and the Edgi SG', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toContain(`${SERVICE} runs in ${IDS.subnetA}, ${IDS.subnetB} with Edgi security group ${IDS.edgiSg}`);
  });

  it('fails naming the service when it is missing', async () => {
    const data = healthy();
    data.services = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toContain(`ECS service ${SERVICE} not found in cluster acme`);
    expect(f.expected).toBe('an ACTIVE service');
    expect(f.found).toBe('none');
  });

  it('fails when the service is INACTIVE', async () => {
    const data = healthy();
    data.services![0]!.status = 'INACTIVE';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain(SERVICE);
    expect(r.findings[0]!.found).toBe('INACTIVE');
  });

  it('fails when the service has no awsvpc network configuration', async () => {
    const data = healthy();
    data.services![0]!.subnets = [];
    data.services![0]!.securityGroups = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toContain(`${SERVICE} has no awsvpc network configuration`);
    expect(f.expected).toBeDefined();
    expect(f.found).toBe('0 subnets, 0 security groups');
  });

  it('fails when the service has two security groups and network.edgiSecurityGroup is not set', async () => {
    const data = healthy();
    data.services![0]!.securityGroups = [IDS.edgiSg, 'sg-extra'];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toContain(`${SERVICE} has 2 security groups`);
    expect(f.message).toContain('network.edgiSecurityGroup');
    expect(f.expected).toBeDefined();
    expect(f.found).toBe(`${IDS.edgiSg}, sg-extra`);
  });

  it('passes with two security groups when network.edgiSecurityGroup pins one of them', async () => {
    const data = healthy();
    data.services![0]!.securityGroups = ['sg-extra', IDS.edgiSg];
    const r = await runOne(check, data, config({ network: { edgiSecurityGroup: IDS.edgiSg } }));
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toContain(`Edgi security group ${IDS.edgiSg}`);
  });

  it('fails when the pinned Edgi security group is not on the service', async () => {
    const r = await runOne(check, healthy(), config({ network: { edgiSecurityGroup: 'sg-pinned' } }));
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toContain('does not use the configured Edgi security group sg-pinned');
    expect(f.expected).toBe('sg-pinned');
    expect(f.found).toBe(IDS.edgiSg);
  });

  it('warns when the service assigns public IPs', async () => {
    const data = healthy();
    data.services![0]!.assignPublicIp = 'ENABLED';
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    const w = r.findings.find((f) => f.status === 'warn')!;
    expect(w.message).toContain(`${SERVICE} assigns public IPs`);
    expect(w.expected).toBe('assignPublicIp DISABLED');
    expect(w.found).toBe('ENABLED');
  });

  errorsWhenDenied(check, 'ecs:DescribeServices', { mentions: [`ECS service ${SERVICE}`] });
});
