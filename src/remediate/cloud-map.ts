// Cloud Map for remediation: where the user's data service is registered, read through the
// Inventory interface (its own resolution, not a check's helpers or findings), and writes through the
// remediation's own writer client that wait for their operation to finish.
import { randomUUID } from 'node:crypto';
import { DeregisterInstanceCommand, GetOperationCommand, RegisterInstanceCommand, type ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import type { Config } from '../config/schema.js';
import type { CloudMapInstance, Inventory } from '../inventory/types.js';
import { resolve, Unresolved } from '../resolve/core.js';
import { DATA_REGISTRY } from '../resolve/workspace.js';
import { inertText } from '../text/inert.js';
import type { PlannedInstance } from './types.js';

export interface DataRegistry {
  namespace: { id: string; name: string };
  service: { id: string; arn: string; name: string };
}

export type RegistryLookup = { ok: true; registry: DataRegistry } | { ok: false; reason: string };

/**
 * The Cloud Map service user data services register in, as the workspace-cloud-map check sees it
 * (the DATA_REGISTRY resolver: the namespace named by the Insight task definition's
 * EDGI_WORKSPACE_NAME_SPACE, the service named by its EDGI_WORKSPACE_HOST). The reason says why
 * there is none.
 */
export async function dataRegistry(inv: Inventory, cfg: Config): Promise<RegistryLookup> {
  let r;
  try {
    r = await resolve(inv, cfg, DATA_REGISTRY);
  } catch (err) {
    // The Insight task definition (a resolver the registry needs) is missing or unreadable.
    if (err instanceof Unresolved) return { ok: false, reason: err.findings.map((f) => f.message.replace(/\.$/, '')).join('; ') };
    throw err;
  }
  if (!r.ok) return { ok: false, reason: r.findings.map((f) => f.message.replace(/\.$/, '')).join('; ') };
  const { namespace, service } = r.value;
  return { ok: true, registry: { namespace: { id: namespace.id, name: namespace.name }, service: { id: service.id, arn: service.arn, name: service.name } } };
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
