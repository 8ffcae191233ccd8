// Pure reasoning about effective network paths inside a VPC: security groups both ways (stateful),
// network ACLs both ways (stateless: the request and the reply on ephemeral ports, rules in number
// order, the first match decides), and the way out to AWS APIs (NAT gateway route, internet
// gateway, S3 gateway endpoint on the route table, interface endpoints with private DNS; a transit
// gateway or appliance as the default route is followed no further).
// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
// https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
import type { IpPermission, NatGateway, NetworkAcl, NetworkAclEntry, Route, RouteTable, SecurityGroup, VpcEndpoint } from '../inventory/types.js';
import { cidrRange, rangeContains as contains, rangesOverlap as overlaps, type Range } from './cidr.js';

/** The client's ephemeral port range for replies: Linux's default, which Fargate tasks use. */
export const EPHEMERAL: PortRange = { from: 32768, to: 60999 };

export interface PortRange {
  from: number;
  to: number;
}

// --- network ACLs -----------------------------------------------------------------------------

export type AclVerdict =
  | { allowed: true; rules: number[] }
  /** `rule`: the deny that decides (undefined: the final implicit deny "*"); `partial`: it blocks only some of the addresses. */
  | { allowed: false; rule?: number; ports: PortRange; partial?: boolean };

const protocolMatches = (entry: NetworkAclEntry) => entry.protocol === '-1' || entry.protocol === '6' || entry.protocol.toLowerCase() === 'tcp';

/** A set of addresses a network path leads to, when it is not one CIDR. */
export interface AddressSet {
  /** How messages name it. */
  label: string;
  ranges: readonly Range[];
}

/**
 * Where the AWS APIs are when tasks reach them through a NAT gateway or an internet gateway: public
 * IPv4 addresses. Private (RFC 1918), shared (100.64.0.0/10), loopback, link-local, "this network"
 * and multicast/reserved space hold no public AWS endpoint, so an ACL rule about them alone (a deny
 * of a corporate or peered range, say) does not touch this path.
 */
export const PUBLIC_IPV4: AddressSet = {
  label: '0.0.0.0/0 (public addresses)',
  ranges: ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '224.0.0.0/3']
    .map((c) => cidrRange(c)!)
    .reduce<Range[]>((left, special) => left.flatMap((r) => subtractRange(r, special)), [{ lo: 0, hi: 2 ** 32 - 1 }]),
};

/** Ports × addresses still undecided while an ACL's rules are read. */
interface Region {
  ports: PortRange;
  addrs: Range;
}

/**
 * Whether a network ACL lets TCP traffic on `ports` to or from `peer` (a CIDR, or a set of address
 * ranges) pass in one direction. Rules are read lowest number first and the first rule matching a
 * packet decides: each rule decides the ports and addresses it covers that no earlier rule decided,
 * so several allows may together cover the peer. A deny that meets an undecided part blocks it;
 * when its CIDR covers only some of the undecided addresses it is reported as partial.
 */
export function aclAllows(acl: NetworkAcl, egress: boolean, ports: PortRange, peer: string | AddressSet): AclVerdict {
  const peerRanges = typeof peer === 'string' ? [cidrRange(peer)].filter((r): r is Range => r !== undefined) : [...peer.ranges];
  if (peerRanges.length === 0) return { allowed: false, ports };
  let open: Region[] = peerRanges.map((addrs) => ({ ports, addrs }));
  const used: number[] = [];
  const rules = acl.entries.filter((e) => e.egress === egress && e.cidr !== undefined).sort((a, b) => a.ruleNumber - b.ruleNumber);
  for (const rule of rules) {
    if (open.length === 0) break;
    if (!protocolMatches(rule)) continue;
    const range = cidrRange(rule.cidr!);
    if (!range) continue;
    const rulePorts: PortRange = rule.protocol === '-1' || rule.fromPort === undefined ? { from: 0, to: 65535 } : { from: rule.fromPort, to: rule.toPort ?? rule.fromPort };
    const met = open.filter((r) => intersect(r.ports, rulePorts).length > 0 && overlaps(r.addrs, range));
    if (met.length === 0) continue;
    if (rule.action === 'deny') {
      const partial = met.some((r) => !contains(range, r.addrs));
      // 32767 is how the API shows the final "*" rule.
      return { allowed: false, ...(rule.ruleNumber === 32767 ? {} : { rule: rule.ruleNumber }), ports: intersect(met[0]!.ports, rulePorts)[0]!, ...(partial ? { partial: true } : {}) };
    }
    used.push(rule.ruleNumber);
    open = open.flatMap((r) => subtractRegion(r, rulePorts, range));
  }
  if (open.length > 0) return { allowed: false, ports: open[0]!.ports };
  return { allowed: true, rules: used };
}

/** What is left of a region once a rule has decided `ports` × `addrs`. */
function subtractRegion(r: Region, ports: PortRange, addrs: Range): Region[] {
  const p = intersect(r.ports, ports)[0];
  if (!p || !overlaps(r.addrs, addrs)) return [r];
  return [...subtract(r.ports, ports).map((rest) => ({ ports: rest, addrs: r.addrs })), ...subtractRange(r.addrs, addrs).map((rest) => ({ ports: p, addrs: rest }))];
}

function subtractRange(a: Range, b: Range): Range[] {
  const out: Range[] = [];
  if (b.lo > a.lo) out.push({ lo: a.lo, hi: Math.min(a.hi, b.lo - 1) });
  if (b.hi < a.hi) out.push({ lo: Math.max(a.lo, b.hi + 1), hi: a.hi });
  return out.filter((r) => r.lo <= r.hi);
}

function intersect(a: PortRange, b: PortRange): PortRange[] {
  const from = Math.max(a.from, b.from);
  const to = Math.min(a.to, b.to);
  return from <= to ? [{ from, to }] : [];
}

function subtract(a: PortRange, b: PortRange): PortRange[] {
  const out: PortRange[] = [];
  if (b.from > a.from) out.push({ from: a.from, to: Math.min(a.to, b.from - 1) });
  if (b.to < a.to) out.push({ from: Math.max(a.from, b.to + 1), to: a.to });
  return out.filter((r) => r.from <= r.to);
}

export const describePorts = (p: PortRange) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`);

/** Both directions of a TCP conversation from `source` to `dest` on `port`, through one ACL on the given side. */
export function aclConversation(acl: NetworkAcl, side: 'source' | 'destination', port: number, sourceCidr: string, dest: string | AddressSet): { ok: true } | { ok: false; why: string } {
  const request: PortRange = { from: port, to: port };
  const destCidr = typeof dest === 'string' ? dest : dest.label;
  const checks: [boolean, PortRange, string | AddressSet, string][] =
    side === 'source'
      ? [
          [true, request, dest, `outbound TCP ${port} to ${destCidr}`],
          [false, EPHEMERAL, dest, `inbound TCP ${describePorts(EPHEMERAL)} (replies) from ${destCidr}`],
        ]
      : [
          [false, request, sourceCidr, `inbound TCP ${port} from ${sourceCidr}`],
          [true, EPHEMERAL, sourceCidr, `outbound TCP ${describePorts(EPHEMERAL)} (replies) to ${sourceCidr}`],
        ];
  for (const [egress, ports, peer, what] of checks) {
    const v = aclAllows(acl, egress, ports, peer);
    if (!v.allowed) {
      const by = v.rule === undefined ? 'no rule allows it (the final deny *)' : `rule ${v.rule} denies ${v.partial ? 'part of the range' : 'it'}`;
      return { ok: false, why: `network ACL ${acl.id} blocks ${what}: ${by}, ports ${describePorts(v.ports)}` };
    }
  }
  return { ok: true };
}

// --- security groups --------------------------------------------------------------------------

/** A peer as a security-group rule sees it: its groups, and its address ranges (all must be covered). */
export interface Peer {
  groupIds: string[];
  cidrs: string[];
}

const ruleCoversPort = (rule: IpPermission, port: number) =>
  rule.protocol === '-1' || ((rule.protocol === 'tcp' || rule.protocol === '6') && (rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? 65535));

/**
 * Whether one of the rules lets TCP `port` to/from the peer: by a group reference, by CIDRs covering
 * every one of the peer's ranges, or by a prefix list (its CIDRs from `prefixLists`).
 */
export function rulesAllow(rules: readonly IpPermission[], port: number, peer: Peer, prefixLists: Readonly<Record<string, string[]>> = {}): IpPermission | undefined {
  return rules.find((rule) => {
    if (!ruleCoversPort(rule, port)) return false;
    if (rule.groupIds.some((g) => peer.groupIds.includes(g))) return true;
    if (peer.cidrs.length === 0) return false;
    const ranges = [...rule.cidrs, ...rule.prefixListIds.flatMap((id) => prefixLists[id] ?? [])].flatMap((c) => cidrRange(c) ?? []);
    return peer.cidrs.every((c) => {
      const want = cidrRange(c);
      return want !== undefined && ranges.some((r) => contains(r, want));
    });
  });
}

/** Whether any of the groups lets the traffic out (egress) or in (ingress). */
export function groupsAllow(groups: readonly SecurityGroup[], direction: 'egress' | 'ingress', port: number, peer: Peer, prefixLists: Readonly<Record<string, string[]>> = {}): { group: SecurityGroup; rule: IpPermission } | undefined {
  for (const group of groups) {
    const rule = rulesAllow(group[direction], port, peer, prefixLists);
    if (rule) return { group, rule };
  }
  return undefined;
}

// --- the way out to AWS APIs ------------------------------------------------------------------

/** The AWS services Insight and Data call, with the endpoint service names that serve each. */
export const AWS_APIS: readonly { label: string; endpoints: string[] }[] = [
  { label: 'ECR', endpoints: ['ecr.api', 'ecr.dkr'] },
  { label: 'CloudWatch Logs', endpoints: ['logs'] },
  { label: 'Secrets Manager', endpoints: ['secretsmanager'] },
  { label: 'SQS', endpoints: ['sqs'] },
  { label: 'S3', endpoints: ['s3'] },
  { label: 'ECS', endpoints: ['ecs'] },
  { label: 'Cloud Map', endpoints: ['servicediscovery', 'data-servicediscovery'] },
];

/** The interface endpoints with private DNS that answer for one of the APIs (each with the API's label). */
export function apiEndpoints(endpoints: readonly VpcEndpoint[], region: string): { api: string; endpoint: VpcEndpoint }[] {
  const out: { api: string; endpoint: VpcEndpoint }[] = [];
  for (const api of AWS_APIS) {
    const names = api.endpoints.map((e) => `com.amazonaws.${region}.${e}`);
    for (const e of endpoints) {
      if (e.state === 'available' && e.type.toLowerCase() === 'interface' && e.privateDnsEnabled && names.includes(e.serviceName)) out.push({ api: api.label, endpoint: e });
    }
  }
  return out;
}

export type WayOut =
  /** A default route to an available public NAT gateway: every API is reachable through it. */
  | { kind: 'nat'; natGatewayId: string }
  /** A default route to an internet gateway (a public subnet; tasks need a public IP). */
  | { kind: 'igw'; gatewayId: string }
  /**
   * A default route to a transit gateway, a network interface or instance (a NAT instance, a
   * firewall), a virtual private gateway, a Cloud WAN core network or a private NAT gateway
   * (which routes on through its own subnet's table): the traffic leaves this VPC's
   * view there, and where it goes on (a central egress VPC, usually in another account under
   * Control Tower) is not in what the doctor reads. `via`/`missing`: the APIs VPC endpoints serve
   * anyway (interface endpoints with private DNS answer whatever the route) and those that depend
   * on the route.
   */
  | { kind: 'forwarded'; target: string; what: string; note?: string; via: Record<string, string[]>; missing: { label: string; endpoints: string[] }[] }
  /** No usable default route: each API needs an endpoint; `missing` lists the services without one. */
  | { kind: 'isolated'; via: Record<string, string[]>; missing: { label: string; endpoints: string[] }[]; blackhole?: string };

const isDefault = (cidr: string | undefined) => cidr === '0.0.0.0/0';

/** Where a default route hands traffic on beyond the VPC, for a target the doctor cannot follow. */
interface Forward {
  target: string;
  /** "transit gateway", "instance", … */
  what: string;
  /** What the target usually is, for the message. */
  note?: string;
}

function forwardTarget(route: Route): Forward | undefined {
  if (route.transitGatewayId) return { target: route.transitGatewayId, what: 'transit gateway' };
  if (route.coreNetworkArn) return { target: route.coreNetworkArn, what: 'Cloud WAN core network' };
  if (route.networkInterfaceId || route.instanceId) {
    const target = route.instanceId ?? route.networkInterfaceId!;
    return { target, what: route.instanceId ? 'instance' : 'network interface', note: 'a NAT instance or appliance' };
  }
  if (route.gatewayId?.startsWith('vgw-')) return { target: route.gatewayId, what: 'virtual private gateway', note: 'VPN or Direct Connect' };
  // A VPC peering connection is not one: peering has no edge-to-edge routing through the peer's
  // internet or NAT gateway (https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html).
  return undefined;
}

/**
 * How a subnet with this route table reaches the AWS APIs. A blackhole route routes nothing; a NAT
 * gateway that is not `available` routes nothing. An interface endpoint serves the whole VPC when
 * private DNS is on; the S3 gateway endpoint serves only the route tables it is on. A default
 * route to a transit gateway (or another target beyond the VPC) is `forwarded`: not isolated, not
 * verified either.
 * https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html
 */
export function wayOut(table: RouteTable, nats: readonly NatGateway[], endpoints: readonly VpcEndpoint[], region: string): WayOut {
  let blackhole: string | undefined;
  let forwarded: Forward | undefined;
  for (const route of table.routes.filter((r) => isDefault(r.destinationCidr))) {
    if (route.state === 'blackhole') {
      blackhole = route.natGatewayId ?? route.gatewayId ?? 'a removed target';
      continue;
    }
    if (route.natGatewayId) {
      const nat = nats.find((n) => n.id === route.natGatewayId);
      if (nat && nat.state === 'available') {
        // A private NAT gateway has no internet access of its own: it reaches other VPCs or an
        // on-premises network through whatever its subnet routes to (a transit gateway, a virtual
        // private gateway). https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html
        if (nat.connectivityType === 'private') {
          forwarded ??= { target: nat.id, what: 'private NAT gateway', note: 'no internet access of its own' };
          continue;
        }
        return { kind: 'nat', natGatewayId: nat.id };
      }
      blackhole = `${route.natGatewayId} (${nat ? nat.state : 'missing'})`;
      continue;
    }
    if (route.gatewayId?.startsWith('igw-')) return { kind: 'igw', gatewayId: route.gatewayId };
    forwarded ??= forwardTarget(route);
  }
  const via: Record<string, string[]> = {};
  const missing: { label: string; endpoints: string[] }[] = [];
  const usable = endpoints.filter((e) => e.state === 'available');
  for (const api of AWS_APIS) {
    const names = api.endpoints.map((e) => `com.amazonaws.${region}.${e}`);
    const found = names.map((name) =>
      usable.find(
        (e) =>
          e.serviceName === name &&
          ((e.type.toLowerCase() === 'interface' && e.privateDnsEnabled) || (e.type.toLowerCase() === 'gateway' && e.routeTableIds.includes(table.id))),
      ),
    );
    if (found.every((e) => e !== undefined)) via[api.label] = found.map((e) => e.id);
    else missing.push({ label: api.label, endpoints: names.filter((_, i) => !found[i]) });
  }
  if (forwarded) return { kind: 'forwarded', ...forwarded, via, missing };
  return { kind: 'isolated', via, missing, ...(blackhole ? { blackhole } : {}) };
}
