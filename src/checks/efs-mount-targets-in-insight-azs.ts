import type { MountTarget, Subnet } from '../inventory/types.js';
import type { Finding } from '../model.js';
import { error, fail, pass } from '../engine/finding.js';
import { INSIGHT_SERVICE } from '../resolve/deployment.js';
import { need } from '../resolve/core.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'efs-mount-targets-in-insight-azs',
  title: 'The EFS file system has an available mount target in the Availability Zone of every Insight subnet',
  step: 2,
  severity: 'critical',
  remediation:
    'Create an EFS mount target of the file system in each Availability Zone the Edgi Insight service runs in (a subnet of the Insight VPC in that AZ, with the EFS security group), so tasks in every AZ can mount the access points of runbook step 2.',
  codes: ['subnet-not-found', 'file-system-not-found', 'not-available', 'wrong-vpc', 'missing-az'],
  permissions: ['ecs:DescribeServices', 'ec2:DescribeSubnets', 'elasticfilesystem:DescribeMountTargets'],
  async run(inv, cfg) {
    const net = await need(inv, cfg, INSIGHT_SERVICE);
    const { service } = net;
    const fsId = cfg.efs.fileSystemId;
    const findings: Finding[] = [];

    // The AZs the Insight tasks run in, each with the subnets that put them there.
    const azs = new Map<string, { vpcId: string; subnets: string[] }>();
    for (const subnetId of service.subnets) {
      const subnet = await inv.subnet(subnetId);
      if (!subnet) {
        findings.push(error(`Subnet ${subnetId} of service ${service.name} not found; cannot tell its Availability Zone.`, { code: 'subnet-not-found', resource: subnetId, expected: 'an existing subnet', found: 'none' }));
        continue;
      }
      const entry = azs.get(subnet.availabilityZone) ?? { vpcId: subnet.vpcId, subnets: [] };
      entry.subnets.push(subnet.name ? `${subnet.id} (${subnet.name})` : subnet.id);
      azs.set(subnet.availabilityZone, entry);
    }

    const targets = await inv.mountTargets(fsId);
    if (!targets) return [...findings, error(`EFS file system ${fsId} (efs.fileSystemId) not found; cannot read its mount targets.`, { code: 'file-system-not-found', resource: fsId, expected: 'an existing file system', found: 'none' })];

    // A mount target's AZ and VPC come from its subnet when the API leaves them out.
    const located: { mt: MountTarget; az?: string; vpcId?: string }[] = [];
    for (const mt of targets) {
      const subnet: Subnet | undefined = await inv.subnet(mt.subnetId);
      located.push({ mt, az: mt.availabilityZone ?? subnet?.availabilityZone, vpcId: subnet?.vpcId });
    }
    const present = located.map((l) => `${l.mt.id} in ${l.az ?? 'unknown AZ'} (${l.mt.lifeCycleState})`).join(', ') || 'no mount targets';

    for (const [az, { vpcId, subnets }] of [...azs].sort(([a], [b]) => a.localeCompare(b))) {
      const forWhom = `Insight subnet${subnets.length > 1 ? 's' : ''} ${subnets.join(', ')}`;
      const inAz = located.filter((l) => l.az === az);
      const usable = inAz.find((l) => l.mt.lifeCycleState === 'available' && (!l.vpcId || l.vpcId === vpcId));
      if (usable) {
        findings.push(pass(`EFS file system ${fsId} has available mount target ${usable.mt.id} in ${az} (${forWhom}).`, { resource: usable.mt.id }));
        continue;
      }
      const otherVpc = inAz.find((l) => l.vpcId && l.vpcId !== vpcId);
      const notReady = inAz.find((l) => l.mt.lifeCycleState !== 'available');
      const expected = `an available mount target in ${az} in ${vpcId}`;
      if (notReady) {
        findings.push(fail(`EFS mount target ${notReady.mt.id} of file system ${fsId} in ${az} is ${notReady.mt.lifeCycleState}, not available; Insight tasks in ${az} (${forWhom}) cannot mount EFS.`, { code: 'not-available', resource: notReady.mt.id, expected, found: present }));
      } else if (otherVpc) {
        findings.push(fail(`EFS mount target ${otherVpc.mt.id} of file system ${fsId} in ${az} is in ${otherVpc.vpcId}, not the Insight VPC ${vpcId}; Insight tasks in ${az} (${forWhom}) cannot mount EFS.`, { code: 'wrong-vpc', resource: otherVpc.mt.id, expected, found: present }));
      } else {
        findings.push(fail(`EFS file system ${fsId} has no mount target in ${az}; Insight tasks there (${forWhom}) cannot mount EFS.`, { code: 'missing-az', resource: fsId, expected, found: present }));
      }
    }
    return findings;
  },
};

export default check;
