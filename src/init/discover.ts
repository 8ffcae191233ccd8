// `init`: discovers an AskEdgi deployment read-only, from its ECS cluster outwards, through the
// inventory (the only door to AWS). Every value found carries where it came from; two candidates for
// one key, or none, become a decision for the user instead of a guess.
import { INIT_ONLY_ACTIONS } from '../iam-policy.js';
import type { Inventory, MountTarget, TaskDefinition } from '../inventory/types.js';
import { accessPointNaming, classifyServices, familyOf, isData, nameFromArn, ownPolicies, peerGroups, plain, RUNBOOK_DEFAULTS, shortKey, type ServiceCandidate, type ServiceRole } from './recognise.js';
import { findEnv, tdName } from '../resolve/env.js';

/** The inventory plus the two reads only discovery needs (src/inventory/live.ts). */
export interface DiscoveryInventory extends Inventory {
  serviceNames(cluster: string): Promise<string[]>;
  accessKeyOwner(accessKeyId: string): Promise<string | undefined>;
}

/** The AWS actions `init` reads with (README "init"); the run policy covers all but the first two. */
export const INIT_PERMISSIONS = [
  ...INIT_ONLY_ACTIONS,
  'sts:GetCallerIdentity',
  'ecs:DescribeClusters',
  'ecs:DescribeServices',
  'ecs:DescribeTaskDefinition',
  'ec2:DescribeSecurityGroups',
  'elasticfilesystem:DescribeMountTargets',
  'elasticfilesystem:DescribeMountTargetSecurityGroups',
  'ec2:DescribeNetworkInterfaceAttribute',
  'elasticfilesystem:DescribeAccessPoints',
  'iam:GetUser',
  'iam:ListAttachedUserPolicies',
  'iam:ListAccessKeys',
  'iam:GetRole',
  'iam:ListAttachedRolePolicies',
  'iam:ListRolePolicies',
] as const;

export interface Candidate {
  value: unknown;
  from: string;
}

/** A config key: found (with its source), or a decision (two or more candidates, or none). */
export type Entry = { path: string[]; value: unknown; from: string } | { path: string[]; candidates: Candidate[]; decide: string };

export interface Discovery {
  entries: Entry[];
  /** Facts read at every run from the task definitions (not config keys), shown as comments. */
  notes: string[];
}

export const isDecision = (e: Entry): e is Extract<Entry, { decide: string }> => 'decide' in e;

/** One key from its candidates: one distinct value is found; several, or none, are a decision. */
function choose(path: string[], candidates: Candidate[], what: string): Entry {
  const distinct = new Map<string, Candidate[]>();
  for (const c of candidates) distinct.set(JSON.stringify(c.value), [...(distinct.get(JSON.stringify(c.value)) ?? []), c]);
  if (distinct.size === 1) {
    const [all] = [...distinct.values()];
    return { path, value: all![0]!.value, from: all!.map((c) => c.from).join('; ') };
  }
  const merged = [...distinct.values()].map((cs) => ({ value: cs[0]!.value, from: cs.map((c) => c.from).join('; ') }));
  return { path, candidates: merged, decide: merged.length === 0 ? `no ${what} found` : `${merged.length} candidates for ${what}` };
}

const sgName = async (inv: Inventory, id: string) => {
  const sg = await inv.securityGroup(id).catch(() => undefined);
  return sg?.name ? `${id} (${sg.name})` : id;
};

export interface DiscoverOptions {
  cluster: string;
  region: string;
  endpoint?: string;
}

/** Reads the deployment of one cluster; throws the inventory's error when a read is denied or fails. */
export async function discover(inv: DiscoveryInventory, opts: DiscoverOptions): Promise<Discovery> {
  const entries: Entry[] = [];
  const notes: string[] = [];
  const found = (path: string[], value: unknown, from: string) => entries.push({ path, value, from });

  const identity = await inv.identity();
  found(['region'], opts.region, 'the region init ran in');
  if (identity.account) found(['accountId'], identity.account, `sts:GetCallerIdentity (${identity.arn})`);
  if (opts.endpoint) found(['endpoint'], opts.endpoint, '--endpoint');
  found(['cluster'], opts.cluster, '--cluster (an ACTIVE ECS cluster)');

  // The services of the cluster, each with the revision it runs.
  const read = await Promise.all(
    (await inv.serviceNames(opts.cluster)).map(async (name): Promise<ServiceCandidate | undefined> => {
      const service = await inv.service(opts.cluster, name);
      if (!service || service.status === 'INACTIVE') return undefined;
      const td = await inv.taskDefinition(service.taskDefinition);
      return td ? { service, td } : undefined;
    }),
  );
  const candidates = read.filter((c): c is ServiceCandidate => c !== undefined);
  const roles = classifyServices(candidates);
  const chosen: Partial<Record<ServiceRole, ServiceCandidate>> = {};
  for (const role of ['insight', 'ui', 'job'] as const) {
    const label = { insight: 'the Insight service', ui: 'the OvalEdge UI service', job: 'the OvalEdge Job service' }[role];
    const svc = choose(['services', role], roles[role].map((r) => ({ value: r.candidate.service.name, from: `ECS service in ${opts.cluster}, recognised by ${r.by}` })), label);
    entries.push(svc);
    const fam = choose(['taskDefinitions', role], roles[role].map((r) => ({ value: r.candidate.td.family, from: `the revision service ${r.candidate.service.name} runs (${tdName(r.candidate.td)})` })), `the ${role} task definition family`);
    entries.push(fam);
    if (!isDecision(svc)) chosen[role] = roles[role].find((r) => r.candidate.service.name === svc.value)?.candidate;
  }

  const insight = chosen.insight;
  const ovaledge = [chosen.ui, chosen.job].filter((c): c is ServiceCandidate => c !== undefined);

  // The Data family: TASK_DEFINITION on Insight (step 7) and EDGI_WORKSPACE_HOST everywhere (steps 7, 9).
  const dataRefs: Candidate[] = [];
  if (insight) {
    const ref = plain(insight.td, 'TASK_DEFINITION');
    if (ref) dataRefs.push({ value: familyOf(ref), from: `TASK_DEFINITION on ${tdName(insight.td)}` });
  }
  for (const c of [insight, ...ovaledge]) {
    const host = c && plain(c.td, 'EDGI_WORKSPACE_HOST');
    if (c && host) dataRefs.push({ value: familyOf(host), from: `EDGI_WORKSPACE_HOST on ${tdName(c.td)}` });
  }
  const dataEntry = choose(['taskDefinitions', 'data'], dataRefs, 'the Data task definition family');
  entries.push(dataEntry);
  const data = isDecision(dataEntry) ? undefined : await inv.taskDefinition(String(dataEntry.value));
  if (data && !isData(data)) notes.push(`Task definition ${tdName(data)} does not look like the Data service (no container ${RUNBOOK_DEFAULTS.expect.data.container} and not its variables); run will say what is missing.`);
  // The runbook's own inconsistency (DESIGN.md): ENV=production on Data (step 6) but ENV=prod on Insight (step 7).
  if (data && plain(data, 'ENV') === 'prod') {
    found(['expect', 'data', 'env'], { ...RUNBOOK_DEFAULTS.expect.data.env, ENV: 'prod' }, `ENV=prod on ${tdName(data)}, as on Insight (the runbook says production in step 6 and prod in step 7); delete this to require production`);
  }

  if (insight) await discoverFromInsight(inv, insight, data, entries, notes);
  else entries.push({ path: ['securityGroups'], candidates: [], decide: 'the peer security groups come from the Insight service, which was not recognised' });

  await discoverIam(inv, insight, data, ovaledge, entries);
  return { entries, notes };
}

/** Network, peers, file system, env and the values read at run time, all from the Insight side. */
async function discoverFromInsight(inv: DiscoveryInventory, insight: ServiceCandidate, data: TaskDefinition | undefined, entries: Entry[], notes: string[]): Promise<void> {
  const found = (path: string[], value: unknown, from: string) => entries.push({ path, value, from });
  const { service, td } = insight;
  if (service.subnets.length > 0) found(['network', 'subnets'], [...service.subnets], `the network configuration of service ${service.name}`);

  // The Edgi group: the service's only group, or among several the one whose rules name the peers.
  const groups = await Promise.all(service.securityGroups.map(async (id) => ({ id, sg: await inv.securityGroup(id) })));
  const withPeers = groups.filter((g) => [9200, 3306].some((p) => g.sg !== undefined && peerGroups(g.sg, p).length > 0));
  let edgi: (typeof groups)[number] | undefined;
  if (groups.length === 1) {
    edgi = groups[0];
    found(['network', 'edgiSecurityGroup'], edgi!.id, `the only security group of service ${service.name}`);
  } else if (withPeers.length === 1) {
    edgi = withPeers[0];
    found(['network', 'edgiSecurityGroup'], edgi!.id, `the one of the ${groups.length} security groups of service ${service.name} whose inbound rules name the Elasticsearch/RDS groups`);
  } else {
    entries.push({ path: ['network', 'edgiSecurityGroup'], candidates: await Promise.all(groups.map(async (g) => ({ value: g.id, from: `security group ${await sgName(inv, g.id)} of service ${service.name}` }))), decide: `${groups.length} candidates for the Edgi security group` });
  }

  // Peers: the Edgi group's rules on 9200 and 3306 (step 1); EFS from the mount targets first.
  const peer = async (key: 'elasticsearch' | 'rds', port: number, label: string) => {
    const ids = edgi?.sg ? peerGroups(edgi.sg, port) : [];
    entries.push(choose(['securityGroups', key], await Promise.all(ids.map(async (id) => ({ value: id, from: `inbound TCP ${port} rule of the Edgi group ${edgi!.id} from ${await sgName(inv, id)}` }))), `the ${label} security group`));
  };
  await peer('elasticsearch', 9200, 'Elasticsearch');
  await peer('rds', 3306, 'RDS');

  const fileSystems = [...new Set(td.volumes.flatMap((v) => (v.efs ? [v.efs.fileSystemId] : [])))];
  const fsEntry = choose(['efs', 'fileSystemId'], fileSystems.map((id) => ({ value: id, from: `the EFS volumes of ${tdName(td)}` })), 'the EFS file system');
  entries.push(fsEntry);
  const efsCandidates: Candidate[] = [];
  if (!isDecision(fsEntry)) {
    const fsId = String(fsEntry.value);
    const targets: MountTarget[] = (await inv.mountTargets(fsId)) ?? [];
    const mtGroups = new Set<string>();
    for (const t of targets) {
      const r = await inv.mountTargetSecurityGroups(t);
      if ('groups' in r) for (const g of r.groups) mtGroups.add(g);
    }
    const ruled = edgi?.sg ? peerGroups(edgi.sg, 2049, true) : [];
    const both = [...mtGroups].filter((g) => ruled.includes(g));
    const pick = both.length > 0 ? both : mtGroups.size > 0 ? [...mtGroups] : ruled;
    for (const id of pick) {
      const how = [mtGroups.has(id) ? `a security group of the mount targets of ${fsId}` : '', ruled.includes(id) ? `admitted by the Edgi group ${edgi!.id} on NFS` : ''].filter(Boolean).join(', ');
      efsCandidates.push({ value: id, from: `${await sgName(inv, id)}: ${how}` });
    }

    // The env from the access points the volumes mount (step 2: /oe_edgi_insights_<env>_…).
    const used = new Set(td.volumes.flatMap((v) => (v.efs?.accessPointId ? [v.efs.accessPointId] : [])));
    const paths = ((await inv.accessPoints(fsId)) ?? []).filter((a) => used.has(a.id)).flatMap((a) => (a.rootPath ? [a.rootPath] : []));
    const naming = accessPointNaming(paths);
    const from = `the root paths of the access points ${tdName(td)} mounts (${paths.join(', ')})`;
    if (naming && 'env' in naming) found(['env'], naming.env, from);
    else if (naming) found(['expect', 'accessPointPrefix'], naming.prefix, from);
    else entries.push({ path: ['env'], candidates: paths.map((p) => ({ value: p, from: 'an access point root path' })), decide: 'the access point root paths do not share one <prefix>_{logs,documents,store} naming' });
  }
  entries.push(choose(['securityGroups', 'efs'], efsCandidates, 'the EFS mount-target security group'));

  // Read by run from the task definitions at every run: shown, not config keys.
  const show = (what: string, t: TaskDefinition | undefined, name: string) => {
    const v = t && plain(t, name);
    if (t && v) notes.push(`${what}: ${v} (${name} on ${tdName(t)})`);
    else if (t && findEnv(t, name)) notes.push(`${what}: held in a secret (${name} on ${tdName(t)})`);
  };
  show('S3 bucket', data ?? td, 'BUCKET_NAME');
  show('Database secret', data ?? td, 'AWS_SCTNAME');
  show('SQS queue prefix', td, 'SQS_QUEUE_PREFIX');
  show('Cloud Map namespace', td, 'EDGI_WORKSPACE_NAME_SPACE');
}

/** The task role from the Insight task definition; the Edgi user from the access key the UI and Job carry. */
async function discoverIam(inv: DiscoveryInventory, insight: ServiceCandidate | undefined, data: TaskDefinition | undefined, ovaledge: ServiceCandidate[], entries: Entry[]): Promise<void> {
  const roleRefs: Candidate[] = [];
  for (const t of [insight?.td, data]) if (t?.taskRoleArn) roleRefs.push({ value: nameFromArn(t.taskRoleArn), from: `taskRoleArn of ${tdName(t)}` });
  const roleEntry = choose(['iam', 'taskRole'], roleRefs, 'the Edgi task role');
  entries.push(roleEntry);
  if (!isDecision(roleEntry)) {
    const role = await inv.iamRole(String(roleEntry.value));
    const policies = role ? ownPolicies(role.attachedPolicies, RUNBOOK_DEFAULTS.iam.taskRolePolicy) : [];
    entries.push(choose(['iam', 'taskRolePolicy'], policies.map((p) => ({ value: p, from: `managed policy attached to role ${String(roleEntry.value)}` })), 'the task role policy'));
  }

  const owners: Candidate[] = [];
  const unreadable: string[] = [];
  for (const c of ovaledge) {
    const entry = findEnv(c.td, 'EDGI_AWS_ACCESS_ID');
    const id = plain(c.td, 'EDGI_AWS_ACCESS_ID');
    if (!id) {
      if (entry) unreadable.push(tdName(c.td));
      continue;
    }
    const owner = await inv.accessKeyOwner(id);
    if (owner) owners.push({ value: owner, from: `owner of access key ${shortKey(id)} (EDGI_AWS_ACCESS_ID on ${tdName(c.td)})` });
  }
  const userEntry = choose(['iam', 'user'], owners, unreadable.length > 0 ? `the Edgi IAM user (EDGI_AWS_ACCESS_ID is held in a secret on ${unreadable.join(', ')})` : 'the Edgi IAM user');
  entries.push(userEntry);
  if (!isDecision(userEntry)) {
    const user = await inv.iamUser(String(userEntry.value));
    const policies = user ? ownPolicies(user.attachedPolicies, RUNBOOK_DEFAULTS.iam.userPolicy) : [];
    entries.push(choose(['iam', 'userPolicy'], policies.map((p) => ({ value: p, from: `managed policy attached to user ${String(userEntry.value)}` })), 'the Edgi user policy'));
  }
}
