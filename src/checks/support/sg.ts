import { InventoryError, type IpPermission, type SecurityGroup } from '../../inventory/types.js';
import { cidrContains } from '../../effective/cidr.js';

export interface Source {
  /** A peer security group id. */
  groupId?: string;
  /**
   * The peer's other security groups: a task's network interface carries every group of its
   * service, so a rule that references any of them admits it as exactly.
   */
  alsoGroupIds?: string[];
  /** Address ranges that must all be covered (e.g. the VPC CIDR, or the Insight subnets' CIDRs). */
  cidrs?: string[];
  /** A covering range inside one of these counts as exact (the VPC's CIDRs); a wider one is broader. */
  exactWithin?: string[];
}

export interface Coverage {
  /** exact: the port over TCP from the source; broader: more ports, all protocols, or a wider range. */
  kind: 'exact' | 'broader';
  rule: IpPermission;
  why?: string;
}

const isTcp = (p: string) => p === 'tcp' || p === '6';

export function describeRule(p: IpPermission): string {
  const proto = p.protocol === '-1' ? 'all traffic' : p.protocol.toUpperCase();
  const ports =
    p.protocol === '-1' ? '' : p.fromPort === p.toPort ? ` ${p.fromPort}` : ` ${p.fromPort ?? 0}-${p.toPort ?? 65535}`;
  const sources = [...p.groupIds, ...p.cidrs, ...p.ipv6Cidrs, ...p.prefixListIds];
  return `${proto}${ports} from ${sources.join(', ') || 'nothing'}`;
}

export function describeIngress(sg: SecurityGroup): string {
  return sg.ingress.length === 0 ? 'no inbound rules' : sg.ingress.map(describeRule).join('; ');
}

/**
 * The IPv4 ranges a rule admits: its CIDRs and the IPv4 entries of its prefix lists. IPv6 ranges
 * (`::/0` included) admit no IPv4 traffic, and the Edgi tasks reach their peers over IPv4.
 */
const ipv4Ranges = (rule: IpPermission) => [...rule.cidrs, ...(rule.prefixListCidrs ?? []).filter((c) => !c.includes(':'))];

/** How `rule`'s address ranges cover the source: every wanted range inside one of the rule's ranges. */
function cidrSourceKind(rule: IpPermission, source: Source): 'exact' | 'broader' | undefined {
  const ranges = ipv4Ranges(rule);
  // A rule open to the world lets any peer in, whatever we know of its addresses.
  if (ranges.includes('0.0.0.0/0')) return 'broader';
  const wanted = source.cidrs ?? [];
  if (wanted.length === 0) return undefined;
  const used: string[] = [];
  for (const w of wanted) {
    const c = ranges.find((r) => cidrContains(r, w));
    if (!c) return undefined;
    used.push(c);
  }
  const within = source.exactWithin ?? wanted;
  return used.every((c) => within.some((w) => cidrContains(w, c))) ? 'exact' : 'broader';
}

/** The source group a rule admits when it is not `source.groupId` itself (one of `alsoGroupIds`), for messages. */
export function admittedOtherGroup(rule: IpPermission, source: Source): string | undefined {
  if (source.groupId !== undefined && rule.groupIds.includes(source.groupId)) return undefined;
  return (source.alsoGroupIds ?? []).find((g) => rule.groupIds.includes(g));
}

/** The best inbound rule of `sg` that lets TCP `port` in from `source`, if any. */
export function ingressCoverage(sg: SecurityGroup, port: number, source: Source): Coverage | undefined {
  let best: Coverage | undefined;
  for (const rule of sg.ingress) {
    const allTraffic = rule.protocol === '-1';
    if (!allTraffic && !(isTcp(rule.protocol) && (rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? 65535))) continue;
    const widePorts = allTraffic || rule.fromPort !== rule.toPort;
    const byGroup = [source.groupId, ...(source.alsoGroupIds ?? [])].some((g) => g !== undefined && rule.groupIds.includes(g));
    const sourceKind = byGroup ? 'exact' : cidrSourceKind(rule, source);
    if (!sourceKind) continue;
    const kind = sourceKind === 'exact' && !widePorts ? 'exact' : 'broader';
    const why = allTraffic ? 'all protocols and ports' : widePorts ? `ports ${rule.fromPort}-${rule.toPort}` : sourceKind === 'broader' ? 'a wider address range' : undefined;
    if (!best || (best.kind === 'broader' && kind === 'exact')) best = { kind, rule, why };
  }
  if (!best) {
    // A rule on the port from a prefix list whose entries could not be read may be the one that
    // admits the source: the result cannot be verified, which is an error, not a missing rule.
    for (const rule of sg.ingress) {
      const onPort = rule.protocol === '-1' || (isTcp(rule.protocol) && (rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? 65535));
      const u = onPort ? rule.unresolvedPrefixLists?.[0] : undefined;
      if (u) throw new InventoryError(u.kind === 'access-denied' ? 'access-denied' : 'other', u.action, `prefix list ${u.id} in a rule of security group ${sg.id}`, u.detail, 'The rule cannot be verified without the list\'s entries.');
    }
  }
  return best;
}
