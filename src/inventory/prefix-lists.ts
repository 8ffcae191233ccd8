// Security-group rules whose source is a managed prefix list: the list's entries are read and kept
// on the rule, or the rule is marked unresolved (never silently ignored).
import { InventoryError, type IpPermission, type ManagedPrefixList, type Route, type SecurityGroup } from './types.js';

export async function resolvePrefixLists(sg: SecurityGroup, lookup: (id: string) => Promise<ManagedPrefixList | undefined>): Promise<SecurityGroup> {
  const resolve = async (rule: IpPermission): Promise<IpPermission> => {
    if (rule.prefixListIds.length === 0) return rule;
    const cidrs: string[] = [];
    const unresolved: NonNullable<IpPermission['unresolvedPrefixLists']> = [];
    for (const id of rule.prefixListIds) {
      try {
        const list = await lookup(id);
        if (list) cidrs.push(...list.cidrs);
        else unresolved.push({ id, kind: 'other', action: 'ec2:DescribeManagedPrefixLists', detail: `prefix list ${id} not found` });
      } catch (err) {
        if (!(err instanceof InventoryError)) throw err;
        unresolved.push({ id, kind: err.kind, action: err.action, detail: err.message });
      }
    }
    return { ...rule, prefixListCidrs: cidrs, ...(unresolved.length > 0 ? { unresolvedPrefixLists: unresolved } : {}) };
  };
  return { ...sg, ingress: await Promise.all(sg.ingress.map(resolve)), egress: await Promise.all(sg.egress.map(resolve)) };
}

/** A blackhole route's target is gone: it routes nothing (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Route.html). */
export function splitBlackholes(routes: Route[]): { routes: Route[]; blackholeRoutes?: Route[] } {
  const dead = routes.filter((r) => r.state === 'blackhole');
  return dead.length > 0 ? { routes: routes.filter((r) => r.state !== 'blackhole'), blackholeRoutes: dead } : { routes };
}
