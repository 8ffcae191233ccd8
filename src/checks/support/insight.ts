import type { Config } from '../../config/schema.js';
import type { Inventory, SecurityGroup, Service } from '../../inventory/types.js';
import type { Finding } from '../../model.js';
import { error, fail } from '../../engine/finding.js';

export type Resolved<T> = { ok: true; value: T } | { ok: false; findings: Finding[] };

/** The Insight service and its Edgi security group: the root of every step-1 check. */
export async function insightNetwork(inv: Inventory, cfg: Config): Promise<Resolved<{ service: Service; edgiSgId: string }>> {
  const service = await inv.service(cfg.cluster, cfg.services.insight);
  if (!service || service.status === 'INACTIVE') {
    return {
      ok: false,
      findings: [fail(`ECS service ${cfg.services.insight} not found in cluster ${cfg.cluster}.`, { resource: cfg.services.insight, expected: 'an ACTIVE service', found: service ? service.status : 'none' })],
    };
  }
  if (service.subnets.length === 0 || service.securityGroups.length === 0) {
    return {
      ok: false,
      findings: [fail(`ECS service ${service.name} has no awsvpc network configuration (subnets and security group).`, { resource: service.arn, expected: 'awsvpc with subnets and the Edgi security group', found: `${service.subnets.length} subnets, ${service.securityGroups.length} security groups` })],
    };
  }
  const pinned = cfg.network.edgiSecurityGroup;
  if (pinned) {
    if (!service.securityGroups.includes(pinned)) {
      return {
        ok: false,
        findings: [fail(`ECS service ${service.name} does not use the configured Edgi security group ${pinned}.`, { resource: service.arn, expected: pinned, found: service.securityGroups.join(', ') })],
      };
    }
    return { ok: true, value: { service, edgiSgId: pinned } };
  }
  if (service.securityGroups.length > 1) {
    return {
      ok: false,
      findings: [fail(`ECS service ${service.name} has ${service.securityGroups.length} security groups; set network.edgiSecurityGroup in the config to say which is the Edgi security group.`, { resource: service.arn, expected: 'one security group, or network.edgiSecurityGroup set', found: service.securityGroups.join(', ') })],
    };
  }
  return { ok: true, value: { service, edgiSgId: service.securityGroups[0]! } };
}

/** A security group that must exist; absence is an `error` naming it (the check cannot verify its rules). */
export async function requireSecurityGroup(inv: Inventory, id: string, role: string): Promise<Resolved<SecurityGroup>> {
  const sg = await inv.securityGroup(id);
  if (!sg) return { ok: false, findings: [error(`Security group ${id} (${role}) not found.`, { resource: id, expected: 'an existing security group', found: 'none' })] };
  return { ok: true, value: sg };
}

export function sgLabel(sg: SecurityGroup, role: string): string {
  return sg.name ? `${sg.id} (${role}, ${sg.name})` : `${sg.id} (${role})`;
}

/**
 * The addresses Insight tasks come from: their subnets' CIDRs, with the VPC's CIDRs as the range a
 * peer rule may use without being broader than needed. Used when a peer group allows the Edgi tasks
 * in by address rather than by group.
 */
export async function edgiSource(inv: Inventory, service: Service, edgiSgId: string): Promise<{ groupId: string; cidrs?: string[]; exactWithin?: string[] }> {
  const subnets = (await Promise.all(service.subnets.map((id) => inv.subnet(id)))).filter((s) => s !== undefined);
  if (subnets.length !== service.subnets.length || subnets.length === 0) return { groupId: edgiSgId };
  const vpc = await inv.vpc(subnets[0]!.vpcId);
  return { groupId: edgiSgId, cidrs: subnets.map((s) => s.cidr), exactWithin: vpc?.cidrs };
}
