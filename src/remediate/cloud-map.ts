// Cloud Map for remediation: where the user's data service is registered (the resolution the
// workspace-cloud-map check does), and writes that wait for their operation to finish.
import { randomUUID } from 'node:crypto';
import { DeregisterInstanceCommand, GetOperationCommand, ListInstancesCommand, RegisterInstanceCommand, type ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import type { Config } from '../config/schema.js';
import type { CloudMapInstance, Inventory } from '../inventory/types.js';
import { resolve } from '../resolve/core.js';
import { DATA_REGISTRY } from '../resolve/workspace.js';
import type { PlannedInstance } from './types.js';

export interface DataRegistry {
  namespace: { id: string; name: string };
  service: { id: string; arn: string; name: string };
}

/**
 * The Cloud Map service user data services register in: the namespace named by the Insight task
 * definition's EDGI_WORKSPACE_NAME_SPACE, the service named by its EDGI_WORKSPACE_HOST (as the
 * workspace-cloud-map check finds it). A string says why there is none.
 */
export async function dataRegistry(inv: Inventory, cfg: Config): Promise<DataRegistry | string> {
  const r = await resolve(inv, cfg, DATA_REGISTRY);
  if (!r.ok) return r.findings[0]!.message;
  const { namespace, service } = r.value;
  return { namespace: { id: namespace.id, name: namespace.name }, service: { id: service.id, arn: service.arn, name: service.name } };
}

/**
 * The user's instances: those a workspace row names (instance id or ECS_SERVICE_NAME equal to the
 * row's service name, never a task id), and those whose name ends in -<user> (what the check warns
 * about as belonging to the user without a row). With `all`, every instance of the service.
 */
export function userInstances(instances: CloudMapInstance[], serviceNames: string[], user: string | undefined, registry: DataRegistry): PlannedInstance[] {
  const userTag = user ? `-${user.split('@')[0]}` : undefined;
  const out: PlannedInstance[] = [];
  for (const i of instances) {
    const svc = i.attributes.ECS_SERVICE_NAME ?? '';
    const matchedBy: PlannedInstance['matchedBy'] | undefined = !user
      ? 'all'
      : serviceNames.some((n) => n === i.id || n === svc)
        ? 'row'
        : userTag && (i.id.endsWith(userTag) || svc.endsWith(userTag))
          ? 'name'
          : undefined;
    if (matchedBy) out.push({ namespace: registry.namespace, service: registry.service, id: i.id, attributes: { ...i.attributes }, matchedBy });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

export function diffAttributes(planned: Record<string, string>, live: Record<string, string>): string[] {
  const keys = [...new Set([...Object.keys(planned), ...Object.keys(live)])].sort();
  return keys.filter((k) => planned[k] !== live[k]).map((k) => `${k}: planned ${planned[k] ?? '(absent)'}, now ${live[k] ?? '(absent)'}`);
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

/** Instances of a Cloud Map service read now (not memoized): for drift checks and post-checks. */
export async function listInstancesNow(client: ServiceDiscoveryClient, serviceId: string): Promise<CloudMapInstance[]> {
  const out: CloudMapInstance[] = [];
  let NextToken: string | undefined;
  do {
    const r = await client.send(new ListInstancesCommand({ ServiceId: serviceId, NextToken }));
    out.push(...(r.Instances ?? []).map((i) => ({ id: i.Id ?? '', attributes: { ...(i.Attributes ?? {}) } })));
    NextToken = r.NextToken;
  } while (NextToken);
  return out;
}
