import type { Finding } from '../model.js';
import { error, fail, pass, warn } from '../engine/finding.js';
import { edgiSource } from './support/insight.js';
import { admittedOtherGroup, describeIngress, describeRule, ingressCoverage, type Coverage } from './support/sg.js';
import { INSIGHT_SERVICE } from '../resolve/deployment.js';
import { need } from '../resolve/core.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'efs-mount-targets-allow-nfs',
  title: 'EFS mount-target security groups allow NFS (TCP 2049) from the Edgi security group',
  step: 1,
  severity: 'critical',
  remediation:
    'Security groups are stateful: the Edgi rule from the EFS group does not let Insight tasks mount EFS. Add an inbound TCP 2049 rule from the Edgi security group to the security group of every EFS mount target.',
  codes: ['file-system-not-found', 'no-mount-targets', 'sg-unreadable', 'missing-rule', 'rule-too-open'],
  permissions: ['ecs:DescribeServices', 'elasticfilesystem:DescribeMountTargets', 'elasticfilesystem:DescribeMountTargetSecurityGroups', 'ec2:DescribeNetworkInterfaceAttribute', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'],
  async run(inv, cfg) {
    const net = await need(inv, cfg, INSIGHT_SERVICE);
    const { edgiSgId, service } = net;
    const source = await edgiSource(inv, service, edgiSgId);
    const fsId = cfg.efs.fileSystemId;
    const port = cfg.expect.ports.nfs;
    const targets = await inv.mountTargets(fsId);
    if (!targets) return [error(`EFS file system ${fsId} (efs.fileSystemId) not found; cannot read its mount targets.`, { code: 'file-system-not-found', resource: fsId, expected: 'an existing file system', found: 'none' })];
    if (targets.length === 0) return [fail(`EFS file system ${fsId} has no mount targets.`, { code: 'no-mount-targets', resource: fsId, expected: 'a mount target in each Insight subnet AZ', found: 'none' })];
    const findings: Finding[] = [];
    for (const mt of targets) {
      const read = await inv.mountTargetSecurityGroups(mt);
      if ('unreadable' in read) {
        findings.push(error(`Security groups of EFS mount target ${mt.id} (${mt.subnetId}) cannot be read: ${read.unreadable}.`, { code: 'sg-unreadable', resource: mt.id, expected: 'an available mount target', found: mt.lifeCycleState }));
        continue;
      }
      const groups = read.groups;
      let best: { cover: Coverage; sgId: string } | undefined;
      const seen: string[] = [];
      for (const sgId of groups) {
        const sg = await inv.securityGroup(sgId);
        if (!sg) continue;
        seen.push(`${sg.id}: ${describeIngress(sg)}`);
        const cover = ingressCoverage(sg, port, source);
        if (cover && (!best || (best.cover.kind === 'broader' && cover.kind === 'exact'))) best = { cover, sgId };
      }
      const where = `EFS mount target ${mt.id} (${mt.subnetId})`;
      if (!best) {
        findings.push(fail(`${where} security groups ${groups.join(', ') || 'none'} allow no TCP ${port} from ${edgiSgId} (Edgi); NFS mounts will hang.`, { code: 'missing-rule', resource: mt.id, expected: `inbound TCP ${port} from ${edgiSgId}`, found: seen.join(' | ') || 'no security groups' }));
      } else if (best.cover.kind === 'broader') {
        findings.push(warn(`${where} security group ${best.sgId} allows ${describeRule(best.cover.rule)}, broader than NFS needs (${best.cover.why}).`, { code: 'rule-too-open', resource: mt.id, expected: `inbound TCP ${port} from ${edgiSgId}`, found: describeRule(best.cover.rule) }));
      } else {
        const other = admittedOtherGroup(best.cover.rule, source);
        const from = other ? `${other} (a security group the Insight service runs with beside ${edgiSgId})` : `${edgiSgId} (Edgi)`;
        findings.push(pass(`${where} security group ${best.sgId} allows TCP ${port} from ${from}.`, { resource: mt.id }));
      }
    }
    return findings;
  },
};

export default check;
