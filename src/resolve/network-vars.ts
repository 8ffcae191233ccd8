// SUBNETS and SECURITY_GROUPS on the Insight task definition: what the Insight service passes to
// ECS when it launches Data tasks (runbook step 7). Resolved once, owned by insight-network-vars:
// each listed id must be what the Insight service itself runs with, exist, and lie in the service's
// VPC. Written runbook style ("subnet-a, subnet-b") the ids are compared trimmed, with a warning.
import { error, fail, pass, warn } from '../engine/finding.js';
import { looksLikePlaceholder } from '../inventory/redact.js';
import type { ContainerDefinition, Inventory, Service, TaskDefinition } from '../inventory/types.js';
import type { Finding } from '../model.js';
import { defineResolver } from './core.js';
import { INSIGHT_SERVICE, INSIGHT_TASK_DEFINITION, roleMain } from './deployment.js';
import { envEntry, tdName } from './env.js';

export const NETWORK_VARS_CODES = ['variable-missing', 'secrets-reference', 'mismatch', 'list-whitespace', 'not-found', 'other-vpc', 'vpc-unknown'];

export interface NetworkVars {
  /** The ids as the Insight service passes them (trimmed). */
  subnets: string[];
  securityGroups: string[];
  vpcId: string;
  /** What insight-network-vars reports (passes and warnings). */
  findings: Finding[];
}

type Kind = 'subnets' | 'security groups';

/** The ids of a comma-separated list, and whether any carries white space around it. */
function parseList(value: string): { ids: string[]; spaced: boolean } {
  const raw = value.split(',');
  const ids = raw.map((s) => s.trim()).filter((s) => s !== '');
  return { ids, spaced: raw.some((s) => s !== s.trim()) };
}

async function vpcOf(inv: Inventory, kind: Kind, id: string): Promise<string | undefined | null> {
  if (kind === 'subnets') {
    const s = await inv.subnet(id);
    return s ? s.vpcId : null;
  }
  const g = await inv.securityGroup(id);
  return g ? g.vpcId : null;
}

async function variable(inv: Inventory, td: TaskDefinition, container: ContainerDefinition | undefined, service: Service, vpcId: string, name: string, kind: Kind, actual: string[]): Promise<{ ids: string[]; findings: Finding[] }> {
  const where = `Task definition ${tdName(td)}`;
  const expected = actual.join(',');
  const entry = envEntry(container, name);
  if (!entry) {
    return { ids: [], findings: [fail(`${where} has no ${name}; the Insight service needs it to start Data tasks in its ${kind}.`, { resource: td.arn, expected, found: 'not set', code: 'variable-missing' })] };
  }
  if (entry.source === 'secrets') {
    return {
      ids: [],
      findings: [error(`${where} takes ${name} from a secrets reference (${entry.valueFrom}); its value cannot be compared with the service's ${kind}.`, { resource: td.arn, expected: 'a plain environment value', found: `secrets valueFrom ${entry.valueFrom}`, code: 'secrets-reference' })],
    };
  }
  const { ids, spaced } = parseList(entry.value);
  const findings: Finding[] = [];
  const missing = actual.filter((id) => !ids.includes(id));
  const extra = ids.filter((id) => !actual.includes(id));
  if (missing.length > 0 || extra.length > 0) {
    const placeholder = looksLikePlaceholder(entry.value) ? ' (still the runbook placeholder)' : '';
    const parts = [missing.length ? `misses ${missing.join(', ')}` : '', extra.length ? `lists ${extra.join(', ')} that the service does not use` : ''].filter(Boolean);
    findings.push(fail(`${where} sets ${name}=${entry.value}${placeholder}, which ${parts.join(' and ')}; ECS service ${service.name} uses ${actual.join(', ')}.`, { resource: td.arn, expected, found: entry.value, code: 'mismatch' }));
  }
  // Every id the service would pass to ECS must exist in the service's VPC (the ones it runs with do).
  for (const id of extra) {
    if (looksLikePlaceholder(id)) continue;
    const in_ = await vpcOf(inv, kind, id);
    const what = kind === 'subnets' ? 'Subnet' : 'Security group';
    if (in_ === null) {
      findings.push(fail(`${what} ${id} in ${name} on ${tdName(td)} does not exist; Data tasks launched with it fail to start.`, { resource: id, expected: `an existing ${kind === 'subnets' ? 'subnet' : 'security group'} in ${vpcId}`, found: 'none', code: 'not-found' }));
    } else if (in_ !== vpcId) {
      findings.push(fail(`${what} ${id} in ${name} on ${tdName(td)} is in ${in_ ?? 'no VPC'}, not the Insight service's VPC ${vpcId}; ECS refuses to launch Data tasks with it.`, { resource: id, expected: `VPC ${vpcId}`, found: `VPC ${in_ ?? 'none'}`, code: 'other-vpc' }));
    }
  }
  if (findings.length > 0) return { ids, findings };
  if (spaced) {
    findings.push(
      warn(`${where} sets ${name}=${JSON.stringify(entry.value)} with white space around the ids (runbook style); trimmed they are the ${kind} of ECS service ${service.name}, but whether the Insight service trims them before launching Data tasks is not verified.`, {
        resource: td.arn,
        expected: JSON.stringify(ids.join(',')),
        found: JSON.stringify(entry.value),
        code: 'list-whitespace',
      }),
    );
  } else {
    findings.push(pass(`${where} sets ${name}=${ids.join(',')}, the ${kind} of ECS service ${service.name}.`, { resource: td.arn }));
  }
  return { ids, findings };
}

/** SUBNETS and SECURITY_GROUPS of the Insight task definition, resolved (runbook step 7); root: insight-network-vars. */
export const INSIGHT_NETWORK_VARS = defineResolver<NetworkVars>('insight-network-vars', 'insight-network-vars', async ({ inv, cfg, need }) => {
  const { service } = await need(INSIGHT_SERVICE);
  const td = await need(INSIGHT_TASK_DEFINITION);
  const container = roleMain(td, cfg, 'insight');
  const first = await inv.subnet(service.subnets[0]!);
  if (!first) {
    return { ok: false, findings: [error(`Subnet ${service.subnets[0]} of ECS service ${service.name} cannot be found; the VPC that SUBNETS and SECURITY_GROUPS must lie in is unknown.`, { resource: service.subnets[0]!, expected: 'an existing subnet', found: 'none', code: 'vpc-unknown' })] };
  }
  const vpcId = first.vpcId;
  const subnets = await variable(inv, td, container, service, vpcId, 'SUBNETS', 'subnets', service.subnets);
  const groups = await variable(inv, td, container, service, vpcId, 'SECURITY_GROUPS', 'security groups', service.securityGroups);
  const findings = [...subnets.findings, ...groups.findings];
  if (findings.some((f) => f.status === 'fail' || f.status === 'error')) return { ok: false, findings };
  return { ok: true, value: { subnets: subnets.ids, securityGroups: groups.ids, vpcId, findings } };
});
