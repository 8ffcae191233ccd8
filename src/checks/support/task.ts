import type { ContainerDefinition, Inventory, KeyValue, TaskDefinition } from '../../inventory/types.js';
import { fail } from '../../engine/finding.js';
import type { Resolved } from './insight.js';

/** The latest ACTIVE revision of a family; its absence is a `fail` naming the family and what it is. */
export async function requireTaskDefinition(inv: Inventory, family: string, role: string): Promise<Resolved<TaskDefinition>> {
  const td = await inv.taskDefinition(family);
  if (!td) {
    return { ok: false, findings: [fail(`${role} task definition family ${family} has no ACTIVE revision.`, { resource: family, expected: 'an ACTIVE revision', found: 'none' })] };
  }
  return { ok: true, value: td };
}

/** "family:revision", how findings name a task definition. */
export const tdName = (td: TaskDefinition) => `${td.family}:${td.revision}`;

/** The container that carries the application: the named one, else the only one, else the first. */
export function mainContainer(td: TaskDefinition, name?: string): ContainerDefinition | undefined {
  return td.containers.find((c) => c.name === name) ?? td.containers[0];
}

export type EnvEntry =
  | { source: 'environment'; name: string; value: string; secret?: KeyValue['secret'] }
  | { source: 'secrets'; name: string; valueFrom: string };

/** A variable as the container receives it: a plain environment value, or a `secrets` reference. */
export function envEntry(container: ContainerDefinition | undefined, name: string): EnvEntry | undefined {
  if (!container) return undefined;
  const plain = container.environment.find((e) => e.name === name);
  if (plain) return { source: 'environment', name, value: plain.value, secret: plain.secret };
  const ref = container.secrets.find((s) => s.name === name);
  return ref ? { source: 'secrets', name, valueFrom: ref.valueFrom } : undefined;
}

/** The plain (non-secret) value of a variable across all containers of a task definition. */
export function envValue(td: TaskDefinition, name: string): string | undefined {
  for (const c of td.containers) {
    const e = c.environment.find((x) => x.name === name);
    if (e && !e.secret) return e.value;
  }
  return undefined;
}
