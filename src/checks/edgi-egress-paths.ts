import type { Check } from '../engine/check.js';
import { fail, pass, warn } from '../engine/finding.js';
import { aclConversation, apiEndpoints, groupsAllow, PUBLIC_IPV4, wayOut, type AddressSet, type Peer } from '../effective/network.js';
import type { SecurityGroup, VpcEndpoint } from '../inventory/types.js';
import type { Finding } from '../model.js';
import { prefixListCidrs, subnetView, type SubnetView, SUBNET_VIEW_CODES } from './support/paths.js';
import { describeIngress, describeRule } from './support/sg.js';
import { need } from '../resolve/core.js';
import { INSIGHT_SERVICE } from '../resolve/deployment.js';

interface Target {
  name: string;
  port: number;
  /** The peer for the security-group rule, per source subnet. */
  peer(view: SubnetView): Peer;
  /** Address range the source subnet's network ACL must let through, and the destination subnets whose ACLs apply. */
  dest(view: SubnetView): { cidr: string | AddressSet; subnets: SubnetView[] }[];
}

const check: Check = {
  id: 'edgi-egress-paths',
  title: 'Insight tasks can open connections to RDS 3306, Elasticsearch 9200, EFS 2049 and the AWS APIs on 443 (security-group egress and network ACLs, both ways)',
  step: 1,
  severity: 'critical',
  remediation:
    'Let the Insight tasks out (runbook step 1 lists only inbound rules, but outbound decides too): the egress rules of the Insight service\'s security groups must allow TCP 3306 to the RDS group, 9200 to the Elasticsearch group, 2049 to the EFS mount targets and 443 to the AWS APIs (0.0.0.0/0 through a NAT gateway, or the VPC endpoints), and the security groups of the interface VPC endpoints must let TCP 443 in from the Insight security group or subnets; the network ACLs of the Insight subnets (and of the mount-target subnets) must allow the request and its reply on ports 32768-60999 in both directions.',
  codes: ['egress-blocked', 'acl-unreadable', 'acl-blocked', 'endpoint-ingress-blocked', ...SUBNET_VIEW_CODES],
  permissions: [
    'ecs:DescribeServices',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeSubnets',
    'ec2:DescribeVpcs',
    'ec2:DescribeRouteTables',
    'ec2:DescribeNetworkAcls',
    'ec2:DescribeNatGateways',
    'ec2:DescribeVpcEndpoints',
    'ec2:DescribeManagedPrefixLists',
    'ec2:GetManagedPrefixListEntries',
    'elasticfilesystem:DescribeMountTargets',
    'elasticfilesystem:DescribeMountTargetSecurityGroups',
    'ec2:DescribeNetworkInterfaceAttribute',
  ],
  async run(inv, cfg) {
    // Resolving: the Insight subnets and every security group of the service (an ENI's egress is the union of its groups').
    const { service } = await need(inv, cfg, INSIGHT_SERVICE);
    const groups = (await Promise.all(service.securityGroups.map((id) => inv.securityGroup(id)))).filter((g): g is SecurityGroup => g !== undefined);
    const prefixLists = await prefixListCidrs(inv, groups.flatMap((g) => g.egress.flatMap((r) => r.prefixListIds)));
    const mountTargets = (await inv.mountTargets(cfg.efs.fileSystemId)) ?? [];
    // Mount targets in transition or unreadable add no group: the configured EFS group still counts.
    const mtGroups = new Map(await Promise.all(mountTargets.map(async (m) => [m.id, await inv.mountTargetSecurityGroups(m)] as const)));
    const mtViews: SubnetView[] = [];
    for (const mt of mountTargets) {
      const v = await subnetView(inv, mt.subnetId);
      if (v.ok) mtViews.push(v.value);
    }
    const vpcCidrs = (v: SubnetView) => v.vpc?.cidrs ?? [];
    const ports = cfg.expect.ports;
    const targets: Target[] = [
      { name: `RDS (${cfg.securityGroups.rds})`, port: ports.mysql, peer: (v) => ({ groupIds: [cfg.securityGroups.rds], cidrs: vpcCidrs(v) }), dest: (v) => vpcCidrs(v).map((cidr) => ({ cidr, subnets: [] })) },
      {
        name: `Elasticsearch (${cfg.securityGroups.elasticsearch})`,
        port: ports.elasticsearch,
        peer: (v) => ({ groupIds: [cfg.securityGroups.elasticsearch], cidrs: vpcCidrs(v) }),
        dest: (v) => vpcCidrs(v).map((cidr) => ({ cidr, subnets: [] })),
      },
      {
        name: `EFS ${cfg.efs.fileSystemId} mount targets`,
        port: ports.nfs,
        peer: (v) => {
          const same = mtViews.filter((m) => m.subnet.availabilityZone === v.subnet.availabilityZone);
          const mts = mountTargets.filter((m) => (same.length > 0 ? same : mtViews).some((x) => x.subnet.id === m.subnetId));
          return { groupIds: [cfg.securityGroups.efs, ...mts.flatMap((m) => { const g = mtGroups.get(m.id); return g && 'groups' in g ? g.groups : []; })], cidrs: (same.length > 0 ? same : mtViews).map((m) => m.subnet.cidr) };
        },
        dest: (v) => {
          const same = mtViews.filter((m) => m.subnet.availabilityZone === v.subnet.availabilityZone);
          return (same.length > 0 ? same : mtViews).map((m) => ({ cidr: m.subnet.cidr, subnets: [m] }));
        },
      },
    ];
    const findings: Finding[] = [];
    const views: SubnetView[] = [];
    for (const id of service.subnets) {
      const v = await subnetView(inv, id);
      if (v.ok) views.push(v.value);
      else findings.push(...v.findings);
    }
    // AWS APIs on 443: to the internet through NAT (or IGW), else to the VPC endpoints inside the VPC.
    // On the internet the APIs are at public addresses: an ACL rule about private ranges only does not touch that path.
    const apiTarget: Target = {
      name: 'the AWS APIs',
      port: 443,
      peer: (v) => (apiWay.get(v.subnet.id) === 'out' ? { groupIds: [], cidrs: ['0.0.0.0/0'] } : { groupIds: apiGroups, cidrs: vpcCidrs(v) }),
      dest: (v) => (apiWay.get(v.subnet.id) === 'out' ? [{ cidr: PUBLIC_IPV4, subnets: [] }] : vpcCidrs(v).map((cidr) => ({ cidr, subnets: [] }))),
    };
    const apiWay = new Map<string, 'out' | 'endpoints'>();
    let apiGroups: string[] = [];
    const vpcEndpoints = new Map<string, VpcEndpoint[]>();
    for (const v of views) {
      if (!v.table) continue;
      const [nats, endpoints] = await Promise.all([inv.natGateways(v.subnet.vpcId), inv.vpcEndpoints(v.subnet.vpcId)]);
      vpcEndpoints.set(v.subnet.vpcId, endpoints);
      const way = wayOut(v.table, nats, endpoints, cfg.region!);
      apiWay.set(v.subnet.id, way.kind === 'isolated' ? 'endpoints' : 'out');
      apiGroups = [...new Set([...apiGroups, ...endpoints.filter((e) => e.type.toLowerCase() === 'interface').flatMap((e) => e.securityGroupIds)])];
    }
    // An interface endpoint with private DNS answers for its service in the whole VPC, whatever the
    // route (NAT or not): the tasks' HTTPS to that API goes to the endpoint's network interfaces, so
    // the endpoint's security groups must let it in (an endpoint left on the VPC's default group,
    // which admits only itself, times out image pulls, logs and secrets at task start).
    // https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
    const endpointBlocked: Finding[] = [];
    for (const [vpcId, endpoints] of vpcEndpoints) {
      const sources = views.filter((v) => v.subnet.vpcId === vpcId);
      for (const { api, endpoint } of apiEndpoints(endpoints, cfg.region!)) {
        const epGroups = (await Promise.all(endpoint.securityGroupIds.map((id) => inv.securityGroup(id)))).filter((g): g is SecurityGroup => g !== undefined);
        // Every interface endpoint has at least one group; none readable leaves nothing to verify here.
        if (epGroups.length === 0) continue;
        const epLists = await prefixListCidrs(inv, epGroups.flatMap((g) => g.ingress.flatMap((r) => r.prefixListIds)));
        const shut = sources.filter((v) => !groupsAllow(epGroups, 'ingress', 443, { groupIds: service.securityGroups, cidrs: [v.subnet.cidr] }, epLists));
        if (shut.length === 0) continue;
        endpointBlocked.push(
          fail(`Insight tasks in ${shut.map((v) => v.label).join(', ')} cannot reach ${api} on TCP 443: its VPC endpoint ${endpoint.id} (private DNS) answers for it in the VPC, and no inbound rule of the endpoint's security groups ${endpoint.securityGroupIds.join(', ')} allows ${service.securityGroups.join(', ')} or ${shut.map((v) => v.subnet.cidr).join(', ')}.`, {
            code: 'endpoint-ingress-blocked',
            resource: endpoint.id,
            expected: `inbound TCP 443 from ${service.securityGroups.join(' or ')} or a range containing ${shut.map((v) => v.subnet.cidr).join(' and ')}`,
            found: epGroups.map((g) => `${g.id}: ${describeIngress(g)}`).join(' | '),
          }),
        );
      }
    }
    for (const target of [...targets, apiTarget]) {
      const blocked: Finding[] = [];
      for (const v of views) {
        const from = `Insight tasks in ${v.label}`;
        const allowed = groupsAllow(groups, 'egress', target.port, target.peer(v), prefixLists);
        if (!allowed) {
          const peer = target.peer(v);
          blocked.push(
            fail(`${from} cannot reach ${target.name} on TCP ${target.port}: no egress rule of ${service.securityGroups.join(', ')} allows it.`, {
              code: 'egress-blocked',
              resource: v.subnet.id,
              expected: `egress TCP ${target.port} to ${[...peer.groupIds, ...peer.cidrs].join(' or ')}`,
              found: groups.map((g) => `${g.id}: ${g.egress.length > 0 ? g.egress.map(describeRule).join('; ').replace(/ from /g, ' to ') : 'no outbound rules'}`).join(' | '),
            }),
          );
          continue;
        }
        for (const d of target.dest(v)) {
          const sides: [SubnetView, 'source' | 'destination'][] = [[v, 'source'], ...d.subnets.map((s): [SubnetView, 'destination'] => [s, 'destination'])];
          for (const [side, role] of sides) {
            // Network ACLs filter only traffic that crosses a subnet boundary.
            if (d.subnets.some((s) => s.subnet.id === v.subnet.id)) continue;
            if (!side.acl) {
              blocked.push(warn(`${from}: the network ACL of ${side.label} could not be read; the path to ${target.name} is not verified.`, { code: 'acl-unreadable', resource: side.subnet.id }));
              continue;
            }
            const r = aclConversation(side.acl, role, target.port, v.subnet.cidr, d.cidr);
            if (!r.ok) {
              blocked.push(fail(`${from} cannot reach ${target.name} on TCP ${target.port}: ${r.why}.`, { code: 'acl-blocked', resource: side.acl.id, expected: `TCP ${target.port} and its replies allowed both ways`, found: r.why }));
            }
          }
        }
      }
      if (target === apiTarget) blocked.push(...endpointBlocked);
      findings.push(...(blocked.length > 0 ? blocked : [pass(`Insight tasks in ${views.map((v) => v.subnet.id).join(', ')} reach ${target.name} on TCP ${target.port} (security-group egress and network ACLs, both ways).`, { resource: service.arn })]));
    }
    return findings;
  },
};

export default check;
