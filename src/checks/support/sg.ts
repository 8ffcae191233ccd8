import type { IpPermission, SecurityGroup } from '../../inventory/types.js';
import { cidrContains } from './cidr.js';

export interface Source {
  /** A peer security group id. */
  groupId?: string;
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

/** The best inbound rule of `sg` that lets TCP `port` in from `source`, if any. */
export function ingressCoverage(sg: SecurityGroup, port: number, source: Source): Coverage | undefined {
  let best: Coverage | undefined;
  for (const rule of sg.ingress) {
    const allTraffic = rule.protocol === '-1';
    if (!allTraffic && !(isTcp(rule.protocol) && (rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? 65535))) continue;
    const widePorts = allTraffic || rule.fromPort !== rule.toPort;
    let sourceKind: 'exact' | 'broader' | undefined;
    if (source.groupId && rule.groupIds.includes(source.groupId)) sourceKind = 'exact';
    const wanted = source.cidrs ?? [];
    if (!sourceKind && wanted.length > 0) {
      const covering = rule.cidrs.filter((c) => wanted.every((w) => cidrContains(c, w)));
      if (covering.length > 0) {
        const within = source.exactWithin ?? wanted;
        sourceKind = covering.some((c) => within.some((w) => cidrContains(w, c))) ? 'exact' : 'broader';
      }
    }
    if (!sourceKind) continue;
    const kind = sourceKind === 'exact' && !widePorts ? 'exact' : 'broader';
    const why = allTraffic ? 'all protocols and ports' : widePorts ? `ports ${rule.fromPort}-${rule.toPort}` : sourceKind === 'broader' ? 'a wider address range' : undefined;
    if (!best || (best.kind === 'broader' && kind === 'exact')) best = { kind, rule, why };
  }
  return best;
}
