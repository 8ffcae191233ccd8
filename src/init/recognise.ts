// Pure recognisers for `init`: which task definition plays which role of the runbook, read from
// container names and the runbook's variables rather than from the default names, and which
// security groups the Edgi group's rules name on the peers' ports.
import { configSchema } from '../config/schema.js';
import type { IpPermission, SecurityGroup, Service, TaskDefinition } from '../inventory/types.js';
import { envValue, findEnv } from '../resolve/env.js';

/** The runbook's defaults (names, variables, ports), from the config schema: one source. */
const DEFAULTS = configSchema.parse({ cluster: 'x', securityGroups: { elasticsearch: 'sg-x', rds: 'sg-x', efs: 'sg-x' }, efs: { fileSystemId: 'fs-x' } });

export type ServiceRole = 'insight' | 'ui' | 'job';

/** A running service and the task definition revision it runs. */
export interface ServiceCandidate {
  service: Pick<Service, 'name' | 'subnets' | 'securityGroups' | 'taskDefinition'>;
  td: TaskDefinition;
}

const count = (td: TaskDefinition, names: readonly string[]) => names.filter((n) => findEnv(td, n) !== undefined).length;
const hasContainer = (td: TaskDefinition, name: string) => td.containers.some((c) => c.name === name);

/** The variables only the Insight task carries (step 7): the ones that point at the Data task and the network. */
const INSIGHT_MARKERS = ['TASK_DEFINITION', 'SQS_QUEUE_PREFIX', 'DNS_NAME_SPACE_ID', 'EDGI_WORKSPACE_NAME_SPACE', 'SUBNETS', 'SECURITY_GROUPS', 'CLUSTER_NAME'];
/** The EDGI_* variables of step 9 (UI and Job). */
const OVALEDGE_MARKERS = DEFAULTS.expect.ovaledge.requiredEnv.filter((n) => n.startsWith('EDGI_'));

/** Insight: the runbook's container name, or most of the Insight-only variables. */
export function isInsight(td: TaskDefinition): boolean {
  return hasContainer(td, DEFAULTS.expect.insight.container) || count(td, INSIGHT_MARKERS) >= 4;
}

/** OvalEdge UI or Job: carries most of step 9's EDGI_* variables (and is not Insight). */
export function isOvaledge(td: TaskDefinition): boolean {
  return !isInsight(td) && count(td, OVALEDGE_MARKERS) >= Math.ceil(OVALEDGE_MARKERS.length / 2);
}

/** Data: the runbook's container name, or the Data variables without the Insight-only ones. */
export function isData(td: TaskDefinition): boolean {
  if (hasContainer(td, DEFAULTS.expect.data.container)) return true;
  return !isInsight(td) && count(td, ['AWS_SCTNAME', 'BUCKET_NAME', 'CREDENTIAL_TYPE', 'DEPLOYMENT_TYPE']) === 4;
}

const UI_WORD = /(^|[^a-z])(ui|web|frontend|front)([^a-z]|$)/i;
const JOB_WORD = /(^|[^a-z])(job|jobs|worker|batch|scheduler)([^a-z]|$)/i;

/**
 * UI or Job for an OvalEdge service: by the words in the service, family and container names (the
 * runbook's ovaledge-ui / ovaledge-job), else by the port: the UI serves HTTP, the Job maps none.
 */
export function uiOrJob(c: ServiceCandidate): { role: 'ui' | 'job'; by: string } | undefined {
  const names = [c.service.name, c.td.family, ...c.td.containers.map((x) => x.name)];
  const ui = names.find((n) => UI_WORD.test(n));
  const job = names.find((n) => JOB_WORD.test(n));
  if (ui && !job) return { role: 'ui', by: `the name ${ui}` };
  if (job && !ui) return { role: 'job', by: `the name ${job}` };
  if (ui && job) return undefined;
  const ports = c.td.containers.some((x) => x.portMappings.length > 0);
  return ports ? { role: 'ui', by: 'a container port (the UI serves HTTP)' } : { role: 'job', by: 'no container port (the Job serves none)' };
}

/** Each service sorted into the role it plays; a service that plays none is left out. */
export function classifyServices(candidates: readonly ServiceCandidate[]): Record<ServiceRole, { candidate: ServiceCandidate; by: string }[]> {
  const out: Record<ServiceRole, { candidate: ServiceCandidate; by: string }[]> = { insight: [], ui: [], job: [] };
  for (const c of candidates) {
    if (isInsight(c.td)) {
      const by = hasContainer(c.td, DEFAULTS.expect.insight.container) ? `container ${DEFAULTS.expect.insight.container}` : 'the Insight variables (TASK_DEFINITION, SQS_QUEUE_PREFIX, …)';
      out.insight.push({ candidate: c, by });
    } else if (isOvaledge(c.td)) {
      const r = uiOrJob(c);
      if (r) out[r.role].push({ candidate: c, by: `the EDGI_* variables and ${r.by}` });
    }
  }
  return out;
}

/** The family of a task definition reference: an ARN, "family:revision" or a family. */
export function familyOf(ref: string): string {
  const tail = ref.includes('/') ? ref.slice(ref.lastIndexOf('/') + 1) : ref;
  return tail.replace(/:\d+$/, '');
}

/** A role or user name from its ARN (the path is dropped). */
export const nameFromArn = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/** An access key id shortened for display: never the whole id. */
export const shortKey = (id: string): string => (id.length > 8 ? `${id.slice(0, 4)}…${id.slice(-4)}` : '…');

/** Whether a rule admits TCP `port`: an explicit port range, or (with `allTraffic`) protocol -1. */
function admits(p: IpPermission, port: number, allTraffic: boolean): boolean {
  if (p.protocol === '-1') return allTraffic;
  if (p.protocol !== 'tcp' && p.protocol !== '6') return false;
  if (p.fromPort === undefined || p.toPort === undefined) return allTraffic;
  const wide = p.fromPort <= 0 && p.toPort >= 65535;
  return p.fromPort <= port && port <= p.toPort && (!wide || allTraffic);
}

/** Groups the Edgi group admits on `port` (runbook step 1), itself left out, in rule order. */
export function peerGroups(edgi: SecurityGroup, port: number, allTraffic = false): string[] {
  const out: string[] = [];
  for (const p of edgi.ingress) if (admits(p, port, allTraffic)) for (const g of p.groupIds) if (g !== edgi.id && !out.includes(g)) out.push(g);
  return out;
}

/**
 * The env of the access point root paths /oe_edgi_insights_<env>_{logs,documents,store}, or the
 * prefix when the paths follow another pattern; undefined when they do not agree.
 */
export function accessPointNaming(rootPaths: readonly string[]): { env: string } | { prefix: string } | undefined {
  const prefixes = new Set(rootPaths.map((p) => /^(\/.+)_(logs|documents|store)$/.exec(p)?.[1]));
  if (prefixes.size !== 1) return undefined;
  const [prefix] = [...prefixes];
  if (!prefix) return undefined;
  const env = /^\/oe_edgi_insights_(.+)$/.exec(prefix)?.[1];
  return env ? { env } : { prefix };
}

/** The customer-managed policies attached to a principal: the runbook's name when attached, else every non-AWS-managed one. */
export function ownPolicies(attached: readonly { name: string; arn: string }[], runbookName: string): string[] {
  if (attached.some((p) => p.name === runbookName)) return [runbookName];
  return attached.filter((p) => !p.arn.startsWith('arn:aws:iam::aws:policy/')).map((p) => p.name);
}

/** A plain variable from the task definition (not a secret, not a reference). */
export const plain = (td: TaskDefinition, name: string): string | undefined => envValue(td, name)?.trim() || undefined;

export { DEFAULTS as RUNBOOK_DEFAULTS };
