// Shared reads of the effective-network checks: a subnet with its VPC, route table and network ACL.
import type { Inventory, NetworkAcl, RouteTable, Subnet, Vpc } from '../../inventory/types.js';
import { error } from '../../engine/finding.js';
import type { Resolved } from './insight.js';

export interface SubnetView {
  subnet: Subnet;
  vpc?: Vpc;
  table?: RouteTable;
  acl?: NetworkAcl;
  label: string;
}

/** What subnetView reports. */
export const SUBNET_VIEW_CODES = ['subnet-not-found'] as const;

export async function subnetView(inv: Inventory, subnetId: string, withAcl = true): Promise<Resolved<SubnetView>> {
  const subnet = await inv.subnet(subnetId);
  if (!subnet) return { ok: false, findings: [error(`Subnet ${subnetId} not found.`, { code: 'subnet-not-found', resource: subnetId, expected: 'an existing subnet', found: 'none' })] };
  const [vpc, table, acl] = await Promise.all([inv.vpc(subnet.vpcId), inv.routeTableFor(subnetId), withAcl ? inv.networkAclFor(subnetId) : Promise.resolve(undefined)]);
  return { ok: true, value: { subnet, vpc, table, acl, label: subnet.name ? `${subnetId} (${subnet.name})` : subnetId } };
}

/** CIDRs of managed prefix lists referenced by the rules, by id (unknown lists are left out). */
export async function prefixListCidrs(inv: Inventory, ids: readonly string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const id of new Set(ids)) {
    const pl = await inv.managedPrefixList(id);
    if (pl) out[id] = pl.cidrs;
  }
  return out;
}
