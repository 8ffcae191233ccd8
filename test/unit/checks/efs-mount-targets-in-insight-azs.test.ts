import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/efs-mount-targets-in-insight-azs.js';
import { config, healthy, IDS, runOne } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

describe('efs-mount-targets-in-insight-azs', () => {
  it('passes for the healthy deployment, one finding per Insight AZ', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings.map((f) => f.resource)).toEqual(['fsmt-a', 'fsmt-b']);
    expect(r.findings[0]!.message).toBe(`EFS file system ${IDS.fs} has available mount target fsmt-a in us-east-1a (Insight subnet ${IDS.subnetA}).`);
    expect(r.findings[1]!.message).toContain('fsmt-b in us-east-1b');
  });

  it('fails naming the AZ that lacks a mount target', async () => {
    const data = healthy();
    data.mountTargets![IDS.fs] = data.mountTargets![IDS.fs]!.filter((m) => m.id !== 'fsmt-b');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings.map((f) => f.status)).toEqual(['pass', 'fail']);
    const bad = r.findings[1]!;
    expect(bad.message).toBe(`EFS file system ${IDS.fs} has no mount target in us-east-1b; Insight tasks there (Insight subnet ${IDS.subnetB}) cannot mount EFS.`);
    expect(bad.resource).toBe(IDS.fs);
    expect(bad.expected).toBe(`an available mount target in us-east-1b in ${IDS.vpc}`);
    expect(bad.found).toBe('fsmt-a in us-east-1a (available)');
  });

  it('fails when the mount target in an AZ is not available', async () => {
    const data = healthy();
    data.mountTargets![IDS.fs]![0]!.lifeCycleState = 'creating';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.find((f) => f.status === 'fail')!;
    expect(bad.message).toContain('EFS mount target fsmt-a of file system fs-1 in us-east-1a is creating, not available');
    expect(bad.resource).toBe('fsmt-a');
    expect(bad.found).toContain('fsmt-a in us-east-1a (creating)');
  });

  it('fails when the mount target of an AZ sits in another VPC', async () => {
    const data = healthy();
    data.subnets!.push({ id: 'subnet-other', vpcId: 'vpc-other', cidr: '10.30.1.0/24', availabilityZone: 'us-east-1b', mapPublicIpOnLaunch: false });
    data.mountTargets![IDS.fs]![1]!.subnetId = 'subnet-other';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.find((f) => f.status === 'fail')!;
    expect(bad.message).toContain(`EFS mount target fsmt-b of file system ${IDS.fs} in us-east-1b is in vpc-other, not the Insight VPC ${IDS.vpc}`);
    expect(bad.expected).toBe(`an available mount target in us-east-1b in ${IDS.vpc}`);
  });

  it('takes the mount target AZ from its subnet when the API leaves it out', async () => {
    const data = healthy();
    for (const mt of data.mountTargets![IDS.fs]!) delete mt.availabilityZone;
    expect((await runOne(check, data)).status).toBe('pass');
  });

  it('fails when the only mount targets are in AZs the Insight service does not use', async () => {
    const data = healthy();
    data.services![0]!.subnets = [IDS.subnetA, 'subnet-c'];
    data.subnets!.push({ id: 'subnet-c', vpcId: IDS.vpc, cidr: '10.20.3.0/24', availabilityZone: 'us-east-1c', mapPublicIpOnLaunch: false });
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings.map((f) => f.status)).toEqual(['pass', 'fail']);
    expect(r.findings[1]!.message).toContain('no mount target in us-east-1c');
  });

  it('reports one finding for two Insight subnets in the same AZ', async () => {
    const data = healthy();
    data.subnets!.find((s) => s.id === IDS.subnetB)!.availabilityZone = 'us-east-1a';
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toContain(`(Insight subnets ${IDS.subnetA}, ${IDS.subnetB})`);
  });

  it('reports error naming the file system when it does not exist', async () => {
    const r = await runOne(check, healthy(), config({ efs: { fileSystemId: 'fs-other' } }));
    expect(r.status).toBe('error');
    const f = r.findings[0]!;
    expect(f.message).toBe('EFS file system fs-other (efs.fileSystemId) not found; cannot read its mount targets.');
    expect(f.expected).toBe('an existing file system');
    expect(f.found).toBe('none');
  });

  it('reports error naming an Insight subnet that does not exist', async () => {
    const data = healthy();
    data.subnets = data.subnets!.filter((s) => s.id !== IDS.subnetB);
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings.find((f) => f.status === 'error')!.message).toContain(`Subnet ${IDS.subnetB} of service oe-edgi-insights-service not found`);
  });

  errorsWhenDenied(check, 'elasticfilesystem:DescribeMountTargets');

  skipsWhenRootFails(check, ROOTS.insightServiceMissing);
});
