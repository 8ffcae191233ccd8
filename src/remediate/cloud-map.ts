// Cloud Map for remediation: where the user's data service is registered, read through the
// Inventory interface (its own resolution, not a check's helpers or findings), and writes through the
// remediation's own writer client that wait for their operation to finish.
import { randomUUID } from 'node:crypto';
import { DeregisterInstanceCommand, GetOperationCommand, RegisterInstanceCommand, type ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import type { Config } from '../config/schema.js';
import type { CloudMapInstance, Inventory, TaskDefinition } from '../inventory/types.js';
import { inertText } from '../text/inert.js';
import type { PlannedInstance } from './types.js';

export interface DataRegistry {
  namespace: { id: string; name: string };
  service: { id: string; arn: string; name: string };
}

export type RegistryLookup = { ok: true; registry: DataRegistry } | { ok: false; reason: string };

/** A plain (non-secret) environment value of a task definition's containers. */
function plainEnv(td: TaskDefinition, name: string): string | undefined {
  for (const c of td.containers) {
    const e = c.environment.find((x) => x.name === name);
    if (e && !e.secret && e.value !== '') return e.value;
  }
  return undefined;
}

/**
 * The Cloud Map service user data services register in: the namespace named by the Insight task
 * definition's EDGI_WORKSPACE_NAME_SPACE, the service named by its EDGI_WORKSPACE_HOST (default: the
 * Data family). The reason says why there is none.
 */
export async function dataRegistry(inv: Inventory, cfg: Config): Promise<RegistryLookup> {
  const family = cfg.taskDefinitions.insight;
  const insight = await inv.taskDefinition(family);
  if (!insight) return { ok: false, reason: `the Insight task definition family ${family} has no ACTIVE revision` };
  const nsName = plainEnv(insight, 'EDGI_WORKSPACE_NAME_SPACE');
  const host = plainEnv(insight, 'EDGI_WORKSPACE_HOST') ?? cfg.taskDefinitions.data;
  const td = `${insight.family}:${insight.revision}`;
  if (!nsName) return { ok: false, reason: `task definition ${td} sets no plain EDGI_WORKSPACE_NAME_SPACE; cannot tell where data services register` };
  const ns = (await inv.namespaces()).find((n) => n.name === nsName);
  if (!ns) return { ok: false, reason: `Cloud Map namespace ${nsName} (EDGI_WORKSPACE_NAME_SPACE of ${td}) not found` };
  const service = (await inv.cloudMapServices(ns.id)).find((x) => x.name === host);
  if (!service) return { ok: false, reason: `Cloud Map namespace ${nsName} has no service ${host} (EDGI_WORKSPACE_HOST of ${td})` };
  return { ok: true, registry: { namespace: { id: ns.id, name: ns.name }, service: { id: service.id, arn: service.arn, name: service.name } } };
}

/**
 * The user's instances: exactly those a workspace row names (the instance id, or its
 * ECS_SERVICE_NAME attribute, equal to the row's service name). Never by a name suffix: user
 * `admin` does not own `edgi-data-service-jo-admin`. With `all` (no user), every instance.
 */
export function userInstances(instances: CloudMapInstance[], serviceNames: string[], user: string | undefined, registry: DataRegistry): PlannedInstance[] {
  const names = new Set(serviceNames.filter((n) => n !== ''));
  const out: PlannedInstance[] = [];
  for (const i of instances) {
    const matchedBy: PlannedInstance['matchedBy'] | undefined = !user ? 'all' : names.has(i.id) || (i.attributes.ECS_SERVICE_NAME !== undefined && names.has(i.attributes.ECS_SERVICE_NAME)) ? 'row' : undefined;
    if (matchedBy) out.push({ namespace: registry.namespace, service: registry.service, id: i.id, attributes: { ...i.attributes }, matchedBy });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

export function diffAttributes(planned: Record<string, string>, live: Record<string, string>): string[] {
  const keys = [...new Set([...Object.keys(planned), ...Object.keys(live)])].sort();
  const one = (v: string | undefined) => (v === undefined ? '(absent)' : inertText(v, { newlines: 'escape', maxLength: 300 }));
  return keys.filter((k) => planned[k] !== live[k]).map((k) => `${one(k)}: planned ${one(planned[k])}, now ${one(live[k])}`);
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
}

/** Polls GetOperation until SUCCESS (resolves) or FAIL / timeout (throws with the operation id). */
export async function waitForOperation(client: ServiceDiscoveryClient, operationId: string, what: string, opts: WaitOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let status = 'SUBMITTED';
  for (;;) {
    const op = (await client.send(new GetOperationCommand({ OperationId: operationId }))).Operation;
    status = op?.Status ?? 'UNKNOWN';
    if (status === 'SUCCESS') return;
    if (status === 'FAIL') throw new Error(`Cloud Map operation ${operationId} (${what}) failed: ${op?.ErrorCode ?? ''} ${op?.ErrorMessage ?? ''}`.trim());
    if (Date.now() >= deadline) {
      throw new Error(`Cloud Map operation ${operationId} (${what}) is still ${status} after ${Math.round(opts.timeoutMs / 1000)} s; look it up (aws servicediscovery get-operation --operation-id ${operationId}) before re-applying.`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 500));
  }
}

export async function deregister(client: ServiceDiscoveryClient, inst: PlannedInstance, opts: WaitOptions): Promise<'removed' | 'already-absent'> {
  let operationId: string | undefined;
  try {
    operationId = (await client.send(new DeregisterInstanceCommand({ ServiceId: inst.service.id, InstanceId: inst.id }))).OperationId;
  } catch (err) {
    if ((err as { name?: string }).name === 'InstanceNotFound') return 'already-absent';
    throw err;
  }
  if (!operationId) throw new Error(`Cloud Map DeregisterInstance of ${inst.id} returned no operation id`);
  await waitForOperation(client, operationId, `deregister ${inst.id}`, opts);
  return 'removed';
}

export async function register(client: ServiceDiscoveryClient, inst: PlannedInstance, opts: WaitOptions): Promise<void> {
  const r = await client.send(new RegisterInstanceCommand({ ServiceId: inst.service.id, InstanceId: inst.id, CreatorRequestId: randomUUID(), Attributes: inst.attributes }));
  if (!r.OperationId) throw new Error(`Cloud Map RegisterInstance of ${inst.id} returned no operation id`);
  await waitForOperation(client, r.OperationId, `register ${inst.id}`, opts);
}
