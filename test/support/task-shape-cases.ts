// Shared unit suites for the checks built by the src/checks/support/task-shape.ts factories: the
// data-task-* and insight-task-* twins differ only in the role (family, revision, container, size).
// Each per-check test file calls its suite with the role and adds the tests only its role has.
import { expectDocumentedCodes } from './codes.js';
import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/engine/check.js';
import { runChecks } from '../../src/engine/runner.js';
import { FixtureInventory, type FixtureData } from '../../src/inventory/fixture.js';
import type { TaskDefinition } from '../../src/inventory/types.js';
import type { Role } from '../../src/checks/support/task-shape.js';
import type { CheckResult, Finding } from '../../src/model.js';
import { config, healthy, latestTd, REGION, runOne, tdArn } from './fixture-deployment.js';

export interface TaskRole {
  role: Role;
  /** How findings name the role: "Data", "Insight". */
  label: string;
  /** The family in the healthy fixture, and its latest ACTIVE revision there. */
  family: string;
  revision: number;
  /** The runbook's container name (the fixture's only container). */
  container: string;
  logGroup: string;
  /** The runbook's task size as the size check prints it. */
  size: string;
  /** The same size in the console's forms. */
  consoleSize: { cpu: string; memory: string };
  /** How many variables the env check verifies with the default config. */
  envCount: number;
}

export const TASK_ROLES: Record<Role, TaskRole> = {
  data: {
    role: 'data',
    label: 'Data',
    family: 'edgi-data-service',
    revision: 2,
    container: 'edgi-data-service',
    logGroup: '/ecs/edgi-data-service',
    size: '512 CPU units (0.5 vCPU), 2048 MiB (2 GB)',
    consoleSize: { cpu: '0.5 vCPU', memory: '2 GB' },
    envCount: 6,
  },
  insight: {
    role: 'insight',
    label: 'Insight',
    family: 'oe_edgi_insights_service',
    revision: 1,
    container: 'oe_edgi_insights_service',
    logGroup: '/ecs/oe_edgi_insights_service',
    size: '1024 CPU units (1 vCPU), 2048 MiB (2 GB)',
    consoleSize: { cpu: '1 vCPU', memory: '2 GB' },
    envCount: 20,
  },
};

/** The role's task definition in a fixture (the latest revision of its family). */
export const roleTd = (data: FixtureData, role: Role): TaskDefinition => latestTd(data, TASK_ROLES[role].family);

/** The failing findings of a result. */
export const fails = (r: CheckResult): Finding[] => r.findings.filter((f) => f.status === 'fail');

/** "family:revision", as findings name a task definition. */
const tdName = (t: TaskRole) => `${t.family}:${t.revision}`;

/**
 * The cases every check that needs <role>-task-definition shares: skip when the root failed,
 * error when run on its own without the family, error when ecs:DescribeTaskDefinition is denied.
 */
function dependentCases(check: Check, t: TaskRole): void {
  it(`skips because ${t.role}-task-definition failed when the family has no ACTIVE revision`, async () => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((x) => x.family !== t.family);
    const r = await runOne(check, data);
    expect(r.status).toBe('skip');
    expect(r.findings[0]!.message).toBe(`Not run because ${t.role}-task-definition failed.`);
  });

  it('reports error naming the family when run without its root and the family is missing', async () => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((x) => x.family !== t.family);
    const [r] = expectDocumentedCodes(await runChecks([check], new FixtureInventory(data), config()), [check]);
    expect(r!.status).toBe('error');
    expect(r!.findings[0]!.message).toContain(`${t.label} task definition family ${t.family} has no ACTIVE revision`);
  });

  it('reports error naming ecs:DescribeTaskDefinition when it is denied', async () => {
    const [r] = expectDocumentedCodes(await runChecks([check], new FixtureInventory({ ...healthy(), denied: ['ecs:DescribeTaskDefinition'] }), config()), [check]);
    expect(r!.status).toBe('error');
    expect(r!.findings[0]!.message).toContain('the caller lacks permission ecs:DescribeTaskDefinition');
  });
}

/** <role>-task-definition: the root check, the family has an ACTIVE revision. */
export function taskDefinitionSuite(check: Check, role: Role, specific?: () => void): void {
  const t = TASK_ROLES[role];
  const FAMILY = t.family;
  describe(check.id, () => {
    it('passes naming the latest ACTIVE revision and its ARN', async () => {
      const r = await runOne(check, healthy());
      expect(r.status).toBe('pass');
      expect(r.findings).toHaveLength(1);
      expect(r.findings[0]!.message).toBe(`${t.label} task definition ${FAMILY}:${t.revision} is the latest ACTIVE revision (${tdArn(FAMILY, t.revision)}).`);
      expect(r.findings[0]!.resource).toBe(tdArn(FAMILY, t.revision));
    });

    it('fails when the family has no revision at all', async () => {
      const data = healthy();
      data.taskDefinitions = data.taskDefinitions!.filter((x) => x.family !== FAMILY);
      const r = await runOne(check, data);
      expect(r.status).toBe('fail');
      const f = r.findings[0]!;
      expect(f.message).toBe(`${t.label} task definition family ${FAMILY} has no ACTIVE revision (no revision).`);
      expect(f.resource).toBe(FAMILY);
      expect(f.expected).toBe('an ACTIVE revision');
      expect(f.found).toBe('no revision');
    });

    it('fails when every revision was deregistered (INACTIVE)', async () => {
      const data = healthy();
      for (const x of data.taskDefinitions!) if (x.family === FAMILY) x.status = 'INACTIVE';
      const r = await runOne(check, data);
      expect(r.status).toBe('fail');
      expect(r.findings[0]!.message).toContain(`family ${FAMILY} has no ACTIVE revision`);
    });

    it('fails when the inventory hands back an INACTIVE latest revision (as moto does for a family)', async () => {
      const data = healthy();
      for (const x of data.taskDefinitions!) if (x.family === FAMILY) x.status = 'INACTIVE';
      const inv = new FixtureInventory(data);
      // moto answers DescribeTaskDefinition(family) with the last revision even when it is INACTIVE.
      inv.taskDefinition = (name: string) => Promise.resolve(data.taskDefinitions!.find((x) => x.family === name && x.revision === t.revision));
      const findings = await check.run(inv, config());
      expect(findings).toHaveLength(1);
      expect(findings[0]!.status).toBe('fail');
      expect(findings[0]!.message).toContain(`latest revision ${FAMILY}:${t.revision} is INACTIVE`);
      expect(findings[0]!.resource).toBe(tdArn(FAMILY, t.revision));
      expect(findings[0]!.found).toBe(`latest revision ${FAMILY}:${t.revision} is INACTIVE`);
    });

    it('reads the family named in the config', async () => {
      const r = await runOne(check, healthy(), config({ taskDefinitions: { [role]: `acme-${role}` } }));
      expect(r.status).toBe('fail');
      expect(r.findings[0]!.message).toContain(`family acme-${role} has no ACTIVE revision`);
    });

    it('reports error naming ecs:DescribeTaskDefinition when it is denied', async () => {
      const r = await runOne(check, { ...healthy(), denied: ['ecs:DescribeTaskDefinition'] });
      expect(r.status).toBe('error');
      expect(r.findings[0]!.message).toContain('the caller lacks permission ecs:DescribeTaskDefinition');
    });

    specific?.();
  });
}

/** <role>-task-size: cpu and memory as the runbook sizes the role, a valid Fargate pair. */
export function taskSizeSuite(check: Check, role: Role, specific?: () => void): void {
  const t = TASK_ROLES[role];
  const td = (data: FixtureData) => roleTd(data, role);
  describe(check.id, () => {
    it('passes with the runbook size, a valid Fargate pair', async () => {
      const r = await runOne(check, healthy());
      expect(r.status).toBe('pass');
      expect(r.findings).toHaveLength(1);
      expect(r.findings[0]!.message).toBe(`Task definition ${tdName(t)} has ${t.size}, a valid Fargate size.`);
      expect(r.findings[0]!.resource).toBe(tdArn(t.family, t.revision));
    });

    it('fails only on the Fargate pair when the config itself asks for an invalid size', async () => {
      const data = healthy();
      Object.assign(td(data), { cpu: '512', memory: '8192' });
      const r = await runOne(check, data, config({ expect: { [role]: { cpu: '512', memory: '8192' } } }));
      expect(r.status).toBe('fail');
      expect(r.findings).toHaveLength(1);
      expect(r.findings[0]!.message).toContain('0.5 vCPU with 8 GB is not a valid Fargate task size');
      expect(r.findings[0]!.expected).toBe('0.5 vCPU with 1 GB–4 GB in 1 GB steps');
    });

    it('does not apply Fargate sizes to a task definition that does not require FARGATE', async () => {
      const data = healthy();
      Object.assign(td(data), { cpu: '512', memory: '8192', requiresCompatibilities: ['EC2'] });
      const r = await runOne(check, data, config({ expect: { [role]: { cpu: '512', memory: '8192' } } }));
      expect(r.status).toBe('pass');
      expect(r.findings[0]!.message).not.toContain('Fargate');
    });

    it('fails when cpu and memory are not set on a Fargate task definition', async () => {
      const data = healthy();
      Object.assign(td(data), { cpu: undefined, memory: undefined });
      const r = await runOne(check, data);
      expect(r.status).toBe('fail');
      expect(r.findings.map((f) => f.message)).toContain(`Task definition ${tdName(t)} requires FARGATE but sets no task-level cpu and memory.`);
      expect(r.findings[0]!.found).toBe('cpu not set, memory not set');
    });

    it(`reads the console forms "${t.consoleSize.cpu}" and "${t.consoleSize.memory}"`, async () => {
      const data = healthy();
      Object.assign(td(data), t.consoleSize);
      const r = await runOne(check, data);
      expect(r.status).toBe('pass');
    });

    it('fails for a cpu value Fargate does not offer', async () => {
      const data = healthy();
      td(data).cpu = '1000';
      const r = await runOne(check, data, config({ expect: { [role]: { cpu: '1000' } } }));
      expect(r.status).toBe('fail');
      expect(r.findings).toHaveLength(1);
      expect(r.findings[0]!.expected).toBe('cpu one of 256, 512, 1024, 2048, 4096, 8192, 16384');
    });

    it('compares with the size in the config', async () => {
      const r = await runOne(check, healthy(), config({ expect: { [role]: { cpu: '2048', memory: '4096' } } }));
      expect(r.status).toBe('fail');
      expect(r.findings[0]!.expected).toBe('2048 CPU units (2 vCPU), 4096 MiB (4 GB)');
    });

    specific?.();
    dependentCases(check, t);
  });
}

/** <role>-task-container: the runbook's container, mapping the service port. */
export function taskContainerSuite(check: Check, role: Role, specific?: () => void): void {
  const t = TASK_ROLES[role];
  const td = (data: FixtureData) => roleTd(data, role);
  describe(check.id, () => {
    it(`passes with container ${t.container} mapping port 8000`, async () => {
      const r = await runOne(check, healthy());
      expect(r.status).toBe('pass');
      expect(r.findings[0]!.message).toBe(`Task definition ${tdName(t)} has container ${t.container} with port 8000 mapped.`);
      expect(r.findings[0]!.resource).toBe(tdArn(t.family, t.revision));
    });

    if (role === 'data') {
      it('fails naming the containers found when the container was renamed', async () => {
        const data = healthy();
        td(data).containers[0]!.name = 'renamed';
        const r = await runOne(check, data);
        expect(r.status).toBe('fail');
        const f = r.findings[0]!;
        expect(f.message).toBe(`Task definition ${tdName(t)} has no container named ${t.container}.`);
        expect(f.expected).toBe(`container ${t.container}`);
        expect(f.found).toBe('containers renamed');
      });
    } else {
      it('passes a renamed container that carries the Insight variables (the runbook calls the name customizable)', async () => {
        const data = healthy();
        td(data).containers[0]!.name = 'insight-app';
        const r = await runOne(check, data);
        expect(r.findings).toEqual([
          { status: 'pass', message: `Task definition ${tdName(t)} has container insight-app (renamed from the runbook's ${t.container}; it carries the Insight variables) with port 8000 mapped.`, resource: tdArn(t.family, t.revision) },
        ]);
      });
      it('fails when no container is named as configured and none carries the Insight variables', async () => {
        const data = healthy();
        const c = td(data).containers[0]!;
        c.name = 'renamed';
        c.environment = [];
        c.secrets = [];
        const r = await runOne(check, data);
        expect(r.status).toBe('fail');
        expect(r.findings[0]!.message).toBe(`Task definition ${tdName(t)} has no container named ${t.container}.`);
      });
    }

    it('fails when the container maps another port', async () => {
      const data = healthy();
      td(data).containers[0]!.portMappings = [{ containerPort: 9000, protocol: 'tcp' }];
      const r = await runOne(check, data);
      expect(r.status).toBe('fail');
      const f = r.findings[0]!;
      expect(f.message).toBe(`Container ${t.container} of task definition ${tdName(t)} has no port mapping for 8000.`);
      expect(f.expected).toBe('containerPort 8000');
      expect(f.found).toBe('containerPort 9000');
    });

    it('fails when the container maps no port', async () => {
      const data = healthy();
      td(data).containers[0]!.portMappings = [];
      const r = await runOne(check, data);
      expect(r.status).toBe('fail');
      expect(r.findings[0]!.found).toBe('no port mappings');
    });

    it('finds the named container among sidecars', async () => {
      const data = healthy();
      const main = td(data).containers[0]!;
      td(data).containers.unshift({ ...main, name: 'log-router', portMappings: [] });
      const r = await runOne(check, data);
      expect(r.status).toBe('pass');
    });

    it('uses the container name and port from the config', async () => {
      const r = await runOne(check, healthy(), config({ expect: { [role]: { container: 'custom', port: 8080 } } }));
      expect(r.status).toBe('fail');
      // Data: the name is fixed; Insight: the container carrying its variables is the one checked.
      expect(r.findings[0]!.message).toContain(role === 'data' ? 'has no container named custom' : `Container ${t.container} of task definition ${tdName(t)} has no port mapping for 8080`);
      const data = healthy();
      td(data).containers[0]!.portMappings = [{ containerPort: 8080 }];
      expect((await runOne(check, data, config({ expect: { [role]: { port: 8080 } } }))).status).toBe('pass');
    });

    specific?.();
    dependentCases(check, t);
  });
}

/**
 * <role>-task-env: the role-independent cases. The variables and fixed values differ by role, so
 * the cases on particular variables stay in the per-check files (passed as `specific`).
 */
export function taskEnvSuite(check: Check, role: Role, specific?: () => void): void {
  const t = TASK_ROLES[role];
  const td = (data: FixtureData) => roleTd(data, role);
  describe(check.id, () => {
    specific?.();

    it('reads the env of the named container, not a sidecar', async () => {
      const data = healthy();
      const main = td(data).containers[0]!;
      td(data).containers.unshift({ ...main, name: 'log-router', environment: [] });
      const r = await runOne(check, data);
      expect(r.status).toBe('pass');
      expect(r.findings[0]!.message).toContain(`sets all ${t.envCount} runbook variables`);
    });

    dependentCases(check, t);
  });
}

/** <role>-task-logging: awslogs to an existing group in the deployment region. */
export function taskLoggingSuite(check: Check, role: Role, specific?: () => void): void {
  const t = TASK_ROLES[role];
  const GROUP = t.logGroup;
  const where = `container ${t.container} of task definition ${tdName(t)}`;
  const Where = `Container ${t.container} of task definition ${tdName(t)}`;
  const td = (data: FixtureData) => roleTd(data, role);
  const log = (data: FixtureData) => td(data).containers[0]!.logConfiguration!;
  describe(check.id, () => {
    it('passes with awslogs to an existing group in the deployment region', async () => {
      const r = await runOne(check, healthy());
      expect(r.status).toBe('pass');
      expect(r.findings[0]!.message).toBe(`${Where} logs to CloudWatch log group ${GROUP} in ${REGION}.`);
      expect(r.findings[0]!.resource).toBe(tdArn(t.family, t.revision));
    });

    it('fails when the log group does not exist', async () => {
      const data = healthy();
      data.logGroups = data.logGroups!.filter((g) => g !== GROUP);
      const r = await runOne(check, data);
      expect(r.status).toBe('fail');
      const f = r.findings[0]!;
      expect(f.message).toBe(`Log group ${GROUP} used by ${where} does not exist; tasks fail to start without it.`);
      expect(f.resource).toBe(GROUP);
      expect(f.expected).toBe(`log group ${GROUP} exists`);
      expect(f.found).toBe('no such log group');
    });

    it('warns when the group is missing but awslogs-create-group is true', async () => {
      const data = healthy();
      data.logGroups = data.logGroups!.filter((g) => g !== GROUP);
      log(data).options['awslogs-create-group'] = 'true';
      const r = await runOne(check, data);
      expect(r.status).toBe('warn');
      expect(r.findings[0]!.message).toContain('logs:CreateLogGroup');
      expect(r.findings[0]!.expected).toBe(`log group ${GROUP} exists`);
      expect(r.findings[0]!.found).toBe('no such log group');
    });

    it('fails when the container has no log configuration', async () => {
      const data = healthy();
      td(data).containers[0]!.logConfiguration = undefined;
      const r = await runOne(check, data);
      expect(r.status).toBe('fail');
      expect(r.findings[0]!.message).toBe(`${Where} has no log configuration; CloudWatch Logs are not enabled.`);
      expect(r.findings[0]!.expected).toBe('logDriver awslogs');
      expect(r.findings[0]!.found).toBe('no logConfiguration');
    });

    it('fails for another log driver', async () => {
      const data = healthy();
      td(data).containers[0]!.logConfiguration = { logDriver: 'splunk', options: {} };
      const r = await runOne(check, data);
      expect(r.status).toBe('fail');
      expect(r.findings[0]!.message).toContain('logs with the splunk driver, not awslogs');
      expect(r.findings[0]!.found).toBe('logDriver splunk');
    });

    /** FireLens: the app container logs through a Fluent Bit router sidecar (listed first). */
    const firelens = (data: FixtureData, options: Record<string, string>) => {
      const app = td(data).containers[0]!;
      app.logConfiguration = { logDriver: 'awsfirelens', options };
      td(data).containers.unshift({ name: 'log_router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', portMappings: [], environment: [], secrets: [], mountPoints: [], logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/firelens', 'awslogs-region': REGION } } });
    };

    it('passes FireLens routing to an existing CloudWatch log group, beside the log router sidecar', async () => {
      const data = healthy();
      firelens(data, { Name: 'cloudwatch_logs', region: REGION, log_group_name: GROUP, log_stream_prefix: 'app-' });
      const r = await runOne(check, data);
      expect(r.findings).toEqual([{ status: 'pass', message: `${Where} logs through FireLens to CloudWatch log group ${GROUP} in ${REGION}.`, resource: tdArn(t.family, t.revision) }]);
    });

    it('fails FireLens to CloudWatch when its log group does not exist', async () => {
      const data = healthy();
      firelens(data, { Name: 'cloudwatch', region: REGION, log_group_name: '/ecs/missing' });
      const r = await runOne(check, data);
      expect(r.status).toBe('fail');
      expect(r.findings[0]!.message).toBe(`Log group /ecs/missing used by ${where} does not exist; tasks fail to start without it.`);
    });

    it('warns, never fails, when FireLens sends the logs elsewhere than CloudWatch', async () => {
      const data = healthy();
      firelens(data, { Name: 'datadog', apikey: 'x' });
      const r = await runOne(check, data);
      expect(r.findings).toEqual([
        {
          status: 'warn',
          code: `${check.id}/logs-elsewhere`,
          fingerprint: `${check.id}/logs-elsewhere@${tdArn(t.family, t.revision)}`,
          message: `${Where} sends its logs through FireLens to FireLens output datadog, not to a CloudWatch log group; the doctor cannot verify where they land or read them.`,
          resource: tdArn(t.family, t.revision),
          expected: 'awslogs, or FireLens with the cloudwatch_logs output',
          found: 'awsfirelens datadog',
        },
      ]);
    });

    it('fails when awslogs-group and awslogs-region are not set', async () => {
      const data = healthy();
      log(data).options = { 'awslogs-stream-prefix': 'ecs' };
      const r = await runOne(check, data);
      expect(r.status).toBe('fail');
      const messages = r.findings.map((f) => f.message);
      expect(messages).toContain(`${Where} sets no awslogs-region.`);
      expect(messages).toContain(`${Where} sets no awslogs-group.`);
      expect(r.findings.every((f) => f.found === 'not set')).toBe(true);
    });

    it('fails when awslogs-region is another region', async () => {
      const data = healthy();
      log(data).options['awslogs-region'] = 'eu-west-1';
      const r = await runOne(check, data);
      expect(r.status).toBe('fail');
      expect(r.findings[0]!.message).toContain(`sends logs to region eu-west-1, not the deployment region ${REGION}`);
      expect(r.findings[0]!.expected).toBe(`awslogs-region ${REGION}`);
      expect(r.findings[0]!.found).toBe('awslogs-region eu-west-1');
    });

    it('reports error naming logs:DescribeLogGroups when it is denied', async () => {
      const r = await runOne(check, { ...healthy(), denied: ['logs:DescribeLogGroups'] });
      expect(r.status).toBe('error');
      expect(r.findings[0]!.message).toContain('the caller lacks permission logs:DescribeLogGroups');
    });

    specific?.();
    dependentCases(check, t);
  });
}

/** <role>-task-storage: ephemeral storage within the configured range. */
export function taskStorageSuite(check: Check, role: Role, specific?: () => void): void {
  const t = TASK_ROLES[role];
  const td = (data: FixtureData) => roleTd(data, role);
  describe(check.id, () => {
    it('passes with 200 GiB of ephemeral storage', async () => {
      const r = await runOne(check, healthy());
      expect(r.status).toBe('pass');
      expect(r.findings[0]!.message).toBe(`Task definition ${tdName(t)} allocates 200 GiB of ephemeral storage.`);
      expect(r.findings[0]!.resource).toBe(tdArn(t.family, t.revision));
    });

    it('fails when ephemeral storage is not set (the 20 GiB default)', async () => {
      const data = healthy();
      td(data).ephemeralStorageGiB = undefined;
      const r = await runOne(check, data);
      expect(r.status).toBe('fail');
      const f = r.findings[0]!;
      expect(f.message).toContain(`Task definition ${tdName(t)} sets no ephemeral storage`);
      expect(f.message).toContain('default of 20 GiB');
      expect(f.expected).toBe('ephemeral storage 21–200 GiB');
      expect(f.found).toBe('not set (20 GiB default)');
    });

    it('fails when ephemeral storage is below the configured minimum', async () => {
      const data = healthy();
      td(data).ephemeralStorageGiB = 50;
      const r = await runOne(check, data, config({ expect: { ephemeralStorage: { min: 100 } } }));
      expect(r.status).toBe('fail');
      expect(r.findings[0]!.message).toBe(`Task definition ${tdName(t)} allocates 50 GiB of ephemeral storage, outside 100–200 GiB.`);
      expect(r.findings[0]!.found).toBe('50 GiB');
      expect(r.findings[0]!.expected).toBe('ephemeral storage 100–200 GiB');
    });

    it('fails when ephemeral storage is above the maximum', async () => {
      const data = healthy();
      td(data).ephemeralStorageGiB = 250;
      const r = await runOne(check, data);
      expect(r.status).toBe('fail');
      expect(r.findings[0]!.found).toBe('250 GiB');
    });

    it('passes at the lower bound 21 GiB', async () => {
      const data = healthy();
      td(data).ephemeralStorageGiB = 21;
      expect((await runOne(check, data)).status).toBe('pass');
    });

    specific?.();
    dependentCases(check, t);
  });
}
