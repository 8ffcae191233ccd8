import type { Check } from '../engine/check.js';
import { fail, pass, skip, warn } from '../engine/finding.js';
import { aclConversation, groupsAllow } from '../effective/network.js';
import type { SecurityGroup } from '../inventory/types.js';
import type { Finding } from '../model.js';
import { prefixListCidrs, subnetView, type SubnetView, SUBNET_VIEW_CODES } from './support/paths.js';
import { describeIngress } from './support/sg.js';
import { need } from '../resolve/core.js';
import { INSIGHT_SERVICE } from '../resolve/deployment.js';

const check: Check = {
  id: 'edgi-callers-reach-8000',
  title: 'The OvalEdge UI and Job services reach Insight on TCP 8000 from where they actually run',
  step: 1,
  severity: 'critical',
  remediation:
    'The 8000 rule of runbook step 1 ("Allow ECS service communication") must cover where the callers run: allow TCP 8000 into the Edgi security group from the UI and Job services\' security groups or from a range containing their subnets, let those groups send TCP 8000 out, and let the network ACLs between their subnets and the Insight subnets pass 8000 and the replies on 32768-60999.',
  codes: ['caller-not-found', 'caller-not-awsvpc', 'ingress-blocked', 'egress-blocked', 'acl-blocked', ...SUBNET_VIEW_CODES],
  permissions: ['ecs:DescribeServices', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:DescribeRouteTables', 'ec2:DescribeNetworkAcls', 'ec2:DescribeManagedPrefixLists', 'ec2:GetManagedPrefixListEntries'],
  async run(inv, cfg) {
    // Resolving: the Insight service (its groups and subnets) and the UI and Job services as callers.
    const { service } = await need(inv, cfg, INSIGHT_SERVICE);
    const port = cfg.expect.ports.insight;
    const insightGroups = (await Promise.all(service.securityGroups.map((id) => inv.securityGroup(id)))).filter((g): g is SecurityGroup => g !== undefined);
    const insightViews: SubnetView[] = [];
    for (const id of service.subnets) {
      const v = await subnetView(inv, id);
      if (v.ok) insightViews.push(v.value);
    }
    const findings: Finding[] = [];
    for (const [role, name] of [['UI', cfg.services.ui], ['Job', cfg.services.job]] as const) {
      const caller = await inv.service(cfg.cluster, name);
      if (!caller || caller.status === 'INACTIVE') {
        findings.push(skip(`OvalEdge ${role} service ${name} not found in cluster ${cfg.cluster}; its path to Insight is not verified.`, { code: 'caller-not-found', resource: name }));
        continue;
      }
      if (caller.subnets.length === 0) {
        // Bridge or host networking (EC2 launch type): the tasks send from their container instance's
        // network interface, whose subnet and groups the doctor does not read. Nothing verified is no pass.
        findings.push(
          warn(`OvalEdge ${role} service ${name} has no awsvpc network configuration (no subnets or security groups of its own${caller.launchType ? `, launch type ${caller.launchType}` : ''}): its tasks reach Insight from their container instances' network, which the doctor does not read; the path to Insight on TCP ${port} is not verified.`, {
            code: 'caller-not-awsvpc',
            resource: caller.arn,
            expected: 'an awsvpc service (subnets and security groups) whose path to Insight can be followed',
            found: 'no awsvpcConfiguration',
          }),
        );
        continue;
      }
      const callerGroups = (await Promise.all(caller.securityGroups.map((id) => inv.securityGroup(id)))).filter((g): g is SecurityGroup => g !== undefined);
      const prefixLists = await prefixListCidrs(inv, [...insightGroups.flatMap((g) => g.ingress.flatMap((r) => r.prefixListIds)), ...callerGroups.flatMap((g) => g.egress.flatMap((r) => r.prefixListIds))]);
      const problems: Finding[] = [];
      for (const subnetId of caller.subnets) {
        const from = await subnetView(inv, subnetId);
        if (!from.ok) {
          problems.push(...from.findings);
          continue;
        }
        const c = from.value;
        const who = `OvalEdge ${role} tasks in ${c.label}`;
        const inbound = groupsAllow(insightGroups, 'ingress', port, { groupIds: caller.securityGroups, cidrs: [c.subnet.cidr] }, prefixLists);
        if (!inbound) {
          problems.push(
            fail(`${who} cannot reach Insight on TCP ${port}: no inbound rule of ${service.securityGroups.join(', ')} allows ${caller.securityGroups.join(', ')} or ${c.subnet.cidr}.`, {
              code: 'ingress-blocked',
              resource: service.securityGroups.join(', '),
              expected: `inbound TCP ${port} from ${caller.securityGroups.join(' or ')} or a range containing ${c.subnet.cidr}`,
              found: insightGroups.map((g) => `${g.id}: ${describeIngress(g)}`).join(' | '),
            }),
          );
        }
        for (const target of insightViews) {
          if (!groupsAllow(callerGroups, 'egress', port, { groupIds: service.securityGroups, cidrs: [target.subnet.cidr] }, prefixLists)) {
            problems.push(fail(`${who} cannot reach Insight in ${target.label} on TCP ${port}: no egress rule of ${caller.securityGroups.join(', ')} allows it.`, { code: 'egress-blocked', resource: caller.securityGroups.join(', '), expected: `egress TCP ${port} to ${target.subnet.cidr}`, found: 'no such rule' }));
          }
          // Network ACLs filter only traffic that crosses a subnet boundary.
          if (target.subnet.id === c.subnet.id) continue;
          for (const [side, end] of [[c, 'source'], [target, 'destination']] as const) {
            if (!side.acl) continue;
            const r = aclConversation(side.acl, end, port, c.subnet.cidr, target.subnet.cidr);
            if (!r.ok) problems.push(fail(`${who} cannot reach Insight in ${target.label} on TCP ${port}: ${r.why}.`, { code: 'acl-blocked', resource: side.acl.id, expected: `TCP ${port} and its replies allowed both ways`, found: r.why }));
          }
        }
      }
      findings.push(...(problems.length > 0 ? problems : [pass(`OvalEdge ${role} tasks in ${caller.subnets.join(', ')} reach Insight on TCP ${port} (Edgi ingress, their egress and the network ACLs).`, { resource: caller.arn })]));
    }
    return findings;
  },
};

export default check;
