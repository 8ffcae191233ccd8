import type { Inventory, SecurityGroup, Service } from '../../inventory/types.js';
import type { Finding } from '../../model.js';
import { error } from '../../engine/finding.js';

/** A value, or the findings that say why it is not there. */
export type Resolved<T> = { ok: true; value: T } | { ok: false; findings: Finding[] };

/** A security group that must exist; absence is an `error` naming it (the check cannot verify its rules). */
/** What requireSecurityGroup reports. */
export const SECURITY_GROUP_CODES = ['sg-not-found'] as const;

export async function requireSecurityGroup(inv: Inventory, id: string, role: string): Promise<Resolved<SecurityGroup>> {
  const sg = await inv.securityGroup(id);
  if (!sg) return { ok: false, findings: [error(`Security group ${id} (${role}) not found.`, { code: 'sg-not-found', resource: id, expected: 'an existing security group', found: 'none' })] };
  return { ok: true, value: sg };
}

export function sgLabel(sg: SecurityGroup, role: string): string {
  return sg.name ? `${sg.id} (${role}, ${sg.name})` : `${sg.id} (${role})`;
}

/**
 * Where Insight tasks come from, as a peer group's inbound rule sees them: the Edgi security group
 * and the service's other groups (an ENI carries them all, so a rule referencing any one admits the
 * tasks), and their subnets' CIDRs, with the VPC's CIDRs as the range a peer rule may use without
 * being broader than needed (a peer group may allow the Edgi tasks in by address rather than by group).
 */
export async function edgiSource(inv: Inventory, service: Service, edgiSgId: string): Promise<{ groupId: string; alsoGroupIds: string[]; cidrs?: string[]; exactWithin?: string[] }> {
  const alsoGroupIds = service.securityGroups.filter((g) => g !== edgiSgId);
  const subnets = (await Promise.all(service.subnets.map((id) => inv.subnet(id)))).filter((s) => s !== undefined);
  if (subnets.length !== service.subnets.length || subnets.length === 0) return { groupId: edgiSgId, alsoGroupIds };
  const vpc = await inv.vpc(subnets[0]!.vpcId);
  return { groupId: edgiSgId, alsoGroupIds, cidrs: subnets.map((s) => s.cidr), exactWithin: vpc?.cidrs };
}
