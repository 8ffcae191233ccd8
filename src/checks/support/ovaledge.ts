// Shared reading for the step 8–9 checks: the Insight service discovery endpoint, variables as the
// OvalEdge containers receive them, and whether a service runs its family's latest revision.
import type { Config } from '../../config/schema.js';
import type { CloudMapService, Inventory, Namespace, Service, TaskDefinition } from '../../inventory/types.js';
import type { Finding } from '../../model.js';
import { fail, pass, warn } from '../../engine/finding.js';
import { tdName } from '../../resolve/env.js';

export type Endpoint =
  | { ok: true; service: Service; cloudMapService: CloudMapService; namespace: Namespace; endpoint: string }
  | { ok: false; why: 'no-service' | 'discovery-off' | 'no-cloud-map-service' | 'no-namespace'; message: string; resource: string; expected: string; found: string };

/**
 * The Insight service discovery endpoint "<Cloud Map service>.<namespace>" (runbook step 8: "Note
 * the Service Discovery Endpoint"), from the service's registry, or why it cannot be computed.
 */
export async function insightEndpoint(inv: Inventory, cfg: Config): Promise<Endpoint> {
  const name = cfg.services.insight;
  const service = await inv.service(cfg.cluster, name);
  if (!service || service.status === 'INACTIVE') {
    return { ok: false, why: 'no-service', message: `ECS service ${name} not found in cluster ${cfg.cluster}`, resource: name, expected: 'an ACTIVE Insight service', found: service ? service.status : 'none' };
  }
  const registry = service.serviceRegistries[0];
  if (!registry) {
    return { ok: false, why: 'discovery-off', message: `service discovery is off on ECS service ${service.name} (no service registry)`, resource: service.arn, expected: 'a Cloud Map service registry', found: 'no service registries' };
  }
  const cm = await inv.cloudMapService(registry.registryArn);
  if (!cm) {
    return { ok: false, why: 'no-cloud-map-service', message: `the service registry ${registry.registryArn} of ECS service ${service.name} resolves to no Cloud Map service`, resource: registry.registryArn, expected: 'an existing Cloud Map service', found: 'none' };
  }
  const namespace = cm.namespaceId ? (await inv.namespaces()).find((n) => n.id === cm.namespaceId) : undefined;
  if (!namespace) {
    return { ok: false, why: 'no-namespace', message: `the namespace ${cm.namespaceId ?? '(none)'} of Cloud Map service ${cm.name} (${cm.id}) was not found`, resource: cm.arn || cm.id, expected: 'an existing Cloud Map namespace', found: cm.namespaceId ?? 'no namespace id' };
  }
  return { ok: true, service, cloudMapService: cm, namespace, endpoint: `${cm.name}.${namespace.name}` };
}

/** "family:revision" of a task definition ARN (or of "family:revision" itself). */
export function revisionOf(arnOrName: string): string {
  return arnOrName.includes('task-definition/') ? arnOrName.slice(arnOrName.indexOf('task-definition/') + 'task-definition/'.length) : arnOrName;
}

/** The service and its PRIMARY deployment run `latest` ("Always deploy the latest task definition revision"). */
/** What runsLatest and rollout report. */
export const DEPLOYMENT_CODES = ['not-latest', 'no-primary', 'primary-not-latest', 'rollout-failed', 'rollout-in-progress', 'rollout-unknown'] as const;

export function runsLatest(service: Service, latest: TaskDefinition): Finding[] {
  const want = tdName(latest);
  const findings: Finding[] = [];
  if (revisionOf(service.taskDefinition) !== want) {
    findings.push(
      fail(`ECS service ${service.name} runs ${revisionOf(service.taskDefinition) || 'no task definition'}, not the latest ACTIVE revision ${want}.`, {
        code: 'not-latest',
        resource: service.arn,
        expected: latest.arn,
        found: service.taskDefinition || 'none',
      }),
    );
  }
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  if (!primary) {
    findings.push(fail(`ECS service ${service.name} reports no PRIMARY deployment.`, { code: 'no-primary', resource: service.arn, expected: `a PRIMARY deployment of ${want}`, found: 'none' }));
  } else if (revisionOf(primary.taskDefinition) !== want && findings.length === 0) {
    // When the service itself is behind, that finding already names the root cause.
    findings.push(
      fail(`The PRIMARY deployment ${primary.id} of ECS service ${service.name} runs ${revisionOf(primary.taskDefinition)}, not the latest ACTIVE revision ${want}.`, {
        code: 'primary-not-latest',
        resource: service.arn,
        expected: latest.arn,
        found: primary.taskDefinition || 'none',
      }),
    );
  }
  if (findings.length === 0) findings.push(pass(`ECS service ${service.name} runs ${want}, the latest ACTIVE revision of ${latest.family}.`, { resource: service.arn }));
  return findings;
}

/** Rollout state of the PRIMARY deployment: COMPLETED passes, IN_PROGRESS warns, FAILED fails. */
export function rollout(service: Service): Finding | undefined {
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  if (!primary) return undefined;
  const state = primary.rolloutState;
  if (state === 'FAILED') {
    return fail(`The rollout of deployment ${primary.id} of ECS service ${service.name} FAILED.`, { code: 'rollout-failed', resource: service.arn, expected: 'rolloutState COMPLETED', found: 'FAILED' });
  }
  if (state === 'IN_PROGRESS') {
    return warn(`The rollout of deployment ${primary.id} of ECS service ${service.name} is still IN_PROGRESS.`, { code: 'rollout-in-progress', resource: service.arn, expected: 'rolloutState COMPLETED', found: 'IN_PROGRESS' });
  }
  if (state === undefined && service.deployments.length > 1) {
    return warn(`ECS service ${service.name} has ${service.deployments.length} deployments and reports no rollout state; a deployment is still in progress.`, {
      code: 'rollout-in-progress',
      resource: service.arn,
      expected: 'one PRIMARY deployment',
      found: service.deployments.map((d) => `${d.status} ${revisionOf(d.taskDefinition)}`).join(', '),
    });
  }
  if (state !== undefined && state !== 'COMPLETED') {
    return warn(`The rollout of deployment ${primary.id} of ECS service ${service.name} is ${state}.`, { code: 'rollout-unknown', resource: service.arn, expected: 'rolloutState COMPLETED', found: state });
  }
  return undefined;
}
