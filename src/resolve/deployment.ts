// The deployment's roles, each resolved once per run and owned by the check that reports it.
import type { Config } from '../config/schema.js';
import { fail, pass, warn } from '../engine/finding.js';
import type { ContainerDefinition, Inventory, Service, TaskDefinition } from '../inventory/types.js';
import type { Finding } from '../model.js';
import { defineResolver, need, type Resolution, type Resolver } from './core.js';
import { mainContainer, PLAIN_VALUE_CODES, plainValue, tdName } from './env.js';

export type Role = 'data' | 'insight';

/** How findings and remediation name the role: "Data", "Insight". */
export const ROLE_LABEL: Record<Role, string> = { data: 'Data', insight: 'Insight' };

/**
 * The latest ACTIVE revision of a family, or undefined. The inventory asks for the family's latest
 * revision; an INACTIVE one (moto returns it, see live.ts) counts as none.
 */
export async function latestActive(inv: Inventory, family: string): Promise<TaskDefinition | undefined> {
  const td = await inv.taskDefinition(family);
  return td && td.status === 'ACTIVE' ? td : undefined;
}

/** What data-task-definition and insight-task-definition report (the TASK_DEFINITION resolvers). */
export const TASK_DEFINITION_CODES = ['no-active-revision'] as const;

async function activeRevision(inv: Inventory, cfg: Config, role: Role): Promise<Resolution<TaskDefinition>> {
  const family = cfg.taskDefinitions[role];
  const td = await inv.taskDefinition(family);
  if (td && td.status === 'ACTIVE') return { ok: true, value: td };
  const found = td ? `latest revision ${tdName(td)} is ${td.status}` : 'no revision';
  return {
    ok: false,
    findings: [fail(`${ROLE_LABEL[role]} task definition family ${family} has no ACTIVE revision (${found}).`, { code: 'no-active-revision', resource: td?.arn ?? family, expected: 'an ACTIVE revision', found })],
  };
}

/** The latest ACTIVE Data task definition (runbook step 6); root: data-task-definition. */
export const DATA_TASK_DEFINITION = defineResolver('data-task-definition', 'data-task-definition', ({ inv, cfg }) => activeRevision(inv, cfg, 'data'));
/** The latest ACTIVE Insight task definition (runbook step 7); root: insight-task-definition. */
export const INSIGHT_TASK_DEFINITION = defineResolver('insight-task-definition', 'insight-task-definition', ({ inv, cfg }) => activeRevision(inv, cfg, 'insight'));

export const TASK_DEFINITION: Record<Role, Resolver<TaskDefinition>> = { data: DATA_TASK_DEFINITION, insight: INSIGHT_TASK_DEFINITION };

/** The role's application container among sidecars: the configured name, else the one with the runbook's variables or port. */
export function roleMain(td: TaskDefinition, cfg: Config, role: Role): ContainerDefinition | undefined {
  const e = cfg.expect[role];
  return mainContainer(td, { name: e.container, variables: [...e.requiredEnv, ...Object.keys(e.env)], port: e.port });
}

/** What roleContainer reports. */
export const ROLE_CONTAINER_CODES = ['no-container'] as const;

/** The role's main container, or the finding that there is none. */
export function roleContainer(td: TaskDefinition, cfg: Config, role: Role): { ok: true; value: ContainerDefinition } | { ok: false; findings: Finding[] } {
  const c = roleMain(td, cfg, role);
  if (!c) {
    return {
      ok: false,
      findings: [fail(`Task definition ${tdName(td)} has no container definitions.`, { code: 'no-container', resource: td.arn, expected: `container ${cfg.expect[role].container}`, found: 'no containers' })],
    };
  }
  return { ok: true, value: c };
}

/** What insight-service-network reports as the root of INSIGHT_SERVICE. */
export const INSIGHT_SERVICE_CODES = ['service-not-found', 'no-network-configuration', 'wrong-security-group', 'ambiguous-security-group'] as const;

/** The Insight service and its Edgi security group (runbook steps 1 and 8); root: insight-service-network. */
export const INSIGHT_SERVICE = defineResolver<{ service: Service; edgiSgId: string }>('insight-service', 'insight-service-network', async ({ inv, cfg }) => {
  const service = await inv.service(cfg.cluster, cfg.services.insight);
  if (!service || service.status === 'INACTIVE') {
    return {
      ok: false,
      findings: [fail(`ECS service ${cfg.services.insight} not found in cluster ${cfg.cluster}.`, { code: 'service-not-found', resource: cfg.services.insight, expected: 'an ACTIVE service', found: service ? service.status : 'none' })],
    };
  }
  if (service.subnets.length === 0 || service.securityGroups.length === 0) {
    return {
      ok: false,
      findings: [fail(`ECS service ${service.name} has no awsvpc network configuration (subnets and security group).`, { code: 'no-network-configuration', resource: service.arn, expected: 'awsvpc with subnets and the Edgi security group', found: `${service.subnets.length} subnets, ${service.securityGroups.length} security groups` })],
    };
  }
  const pinned = cfg.network.edgiSecurityGroup;
  if (pinned) {
    if (!service.securityGroups.includes(pinned)) {
      return {
        ok: false,
        findings: [fail(`ECS service ${service.name} does not use the configured Edgi security group ${pinned}.`, { code: 'wrong-security-group', resource: service.arn, expected: pinned, found: service.securityGroups.join(', ') })],
      };
    }
    return { ok: true, value: { service, edgiSgId: pinned } };
  }
  if (service.securityGroups.length > 1) {
    return {
      ok: false,
      findings: [fail(`ECS service ${service.name} has ${service.securityGroups.length} security groups; set network.edgiSecurityGroup in the config to say which is the Edgi security group.`, { code: 'ambiguous-security-group', resource: service.arn, expected: 'one security group, or network.edgiSecurityGroup set', found: service.securityGroups.join(', ') })],
    };
  }
  return { ok: true, value: { service, edgiSgId: service.securityGroups[0]! } };
});

/** What s3-bucket-exists reports as the root of DATA_BUCKET. */
export const DATA_BUCKET_CODES = [...PLAIN_VALUE_CODES, 'bucket-not-found', 'wrong-region'] as const;

/** The Edgi bucket named by BUCKET_NAME on the Data task definition, and that it exists (step 3); root: s3-bucket-exists. */
export const DATA_BUCKET = defineResolver<{ name: string; where: string; tdArn: string }>('data-bucket', 's3-bucket-exists', async ({ inv, cfg, need }) => {
  const td = await need(DATA_TASK_DEFINITION);
  const read = plainValue(td, roleMain(td, cfg, 'data'), 'BUCKET_NAME', { why: 'the Data service has no bucket', expected: 'BUCKET_NAME=<the Edgi S3 bucket>' });
  if (!read.ok) return { ok: false, findings: [read.finding] };
  const name = read.value;
  const where = `BUCKET_NAME on ${tdName(td)}`;
  const bucket = await inv.bucket(name);
  if (!bucket) return { ok: false, findings: [fail(`S3 bucket ${name} (${where}) does not exist.`, { code: 'bucket-not-found', resource: `arn:aws:s3:::${name}`, expected: 'an existing bucket', found: 'none' })] };
  if (bucket.region && cfg.region && bucket.region !== cfg.region) {
    return { ok: false, findings: [fail(`S3 bucket ${name} (${where}) is in region ${bucket.region}, not the deployment's region ${cfg.region}.`, { code: 'wrong-region', resource: `arn:aws:s3:::${name}`, expected: `a bucket in ${cfg.region}`, found: bucket.region })] };
  }
  return { ok: true, value: { name, where, tdArn: td.arn } };
});

/** Where a container's logs land: the CloudWatch group (absent when they go elsewhere through FireLens). */
export interface LogGroup {
  group?: string;
  td: TaskDefinition;
  /** What the logging check reports. */
  findings: Finding[];
}

/**
 * The CloudWatch log group of the role's main container, with the logging check's own findings
 * (runbook steps 6 and 7: "Enable CloudWatch Logs"); root: data-task-logging / insight-task-logging.
 */
/** What data-task-logging and insight-task-logging report (the LOG_GROUP resolvers). */
export const LOG_GROUP_CODES = [...ROLE_CONTAINER_CODES, 'no-log-configuration', 'logs-elsewhere', 'wrong-log-driver', 'no-log-region', 'wrong-log-region', 'no-log-group', 'log-group-missing'] as const;

function loggingResolver(role: Role): Resolver<LogGroup> {
  return defineResolver<LogGroup>(`${role}-log-group`, `${role}-task-logging`, async ({ inv, cfg, need }) => {
    const td = await need(TASK_DEFINITION[role]);
    const c = roleContainer(td, cfg, role);
    if (!c.ok) return c;
    const container = c.value;
    const where = `Container ${container.name} of task definition ${tdName(td)}`;
    const log = container.logConfiguration;
    if (!log) {
      return { ok: false, findings: [fail(`${where} has no log configuration; CloudWatch Logs are not enabled.`, { code: 'no-log-configuration', resource: td.arn, expected: 'logDriver awslogs', found: 'no logConfiguration' })] };
    }
    const findings: Finding[] = [];
    let group: string | undefined;
    let region: string | undefined;
    let createGroup = false;
    if (log.logDriver === 'awslogs') {
      group = log.options['awslogs-group'];
      region = log.options['awslogs-region'];
      createGroup = log.options['awslogs-create-group'] === 'true';
    } else if (log.logDriver === 'awsfirelens') {
      // FireLens routes the container's logs through a log router sidecar; with the cloudwatch or
      // cloudwatch_logs output they still land in a CloudWatch log group.
      // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/firelens-taskdef.html
      const output = log.options.Name ?? log.options.name;
      if (output !== 'cloudwatch' && output !== 'cloudwatch_logs') {
        const to = output ? `FireLens output ${output}` : 'a FireLens configuration file';
        return {
          ok: true,
          value: {
            td,
            findings: [warn(`${where} sends its logs through FireLens to ${to}, not to a CloudWatch log group; the doctor cannot verify where they land or read them.`, { code: 'logs-elsewhere', resource: td.arn, expected: 'awslogs, or FireLens with the cloudwatch_logs output', found: `awsfirelens ${output ?? '(no Name option)'}` })],
          },
        };
      }
      group = log.options.log_group_name;
      region = log.options.region;
      createGroup = log.options.auto_create_group === 'true';
    } else {
      return { ok: false, findings: [fail(`${where} logs with the ${log.logDriver || 'unnamed'} driver, not awslogs (CloudWatch Logs).`, { code: 'wrong-log-driver', resource: td.arn, expected: 'logDriver awslogs', found: `logDriver ${log.logDriver}` })] };
    }
    const via = log.logDriver === 'awsfirelens' ? ' through FireLens' : '';
    const regionKey = log.logDriver === 'awsfirelens' ? 'region' : 'awslogs-region';
    const groupKey = log.logDriver === 'awsfirelens' ? 'log_group_name' : 'awslogs-group';
    if (!region) {
      findings.push(fail(`${where} sets no ${regionKey}.`, { code: 'no-log-region', resource: td.arn, expected: `${regionKey} ${cfg.region ?? 'set'}`, found: 'not set' }));
    } else if (cfg.region && region !== cfg.region) {
      findings.push(fail(`${where} sends logs to region ${region}, not the deployment region ${cfg.region}.`, { code: 'wrong-log-region', resource: td.arn, expected: `${regionKey} ${cfg.region}`, found: `${regionKey} ${region}` }));
    }
    if (!group) {
      findings.push(fail(`${where} sets no ${groupKey}.`, { code: 'no-log-group', resource: td.arn, expected: `${groupKey} of an existing log group`, found: 'not set' }));
    } else if (!(await inv.logGroupExists(group))) {
      const make = createGroup ? warn : fail;
      const why = createGroup
        ? `; ${log.logDriver === 'awsfirelens' ? 'auto_create_group' : 'awslogs-create-group'} is true, so it is created at task start only if the ${log.logDriver === 'awsfirelens' ? 'task role' : 'execution role'} may call logs:CreateLogGroup`
        : '; tasks fail to start without it';
      findings.push(make(`Log group ${group} used by ${where.charAt(0).toLowerCase()}${where.slice(1)} does not exist${why}.`, { code: 'log-group-missing', resource: group, expected: `log group ${group} exists`, found: 'no such log group' }));
    }
    if (findings.some((f) => f.status === 'fail' || f.status === 'error')) return { ok: false, findings };
    if (findings.length === 0) findings.push(pass(`${where} logs${via} to CloudWatch log group ${group} in ${region}.`, { resource: td.arn }));
    return { ok: true, value: { group, td, findings } };
  });
}

export const LOG_GROUP: Record<Role, Resolver<LogGroup>> = { data: loggingResolver('data'), insight: loggingResolver('insight') };

/** For checks that compare the Data and Insight task definitions with the OvalEdge ones. */
export async function needDataAndInsight(inv: Inventory, cfg: Config): Promise<{ data: TaskDefinition; insight: TaskDefinition }> {
  const data = await need(inv, cfg, DATA_TASK_DEFINITION);
  const insight = await need(inv, cfg, INSIGHT_TASK_DEFINITION);
  return { data, insight };
}
