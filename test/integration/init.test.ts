// askedgi-doctor init against the sandbox (moto through the live inventory, the real CLI in a child
// process): the config it writes makes `run` give the same status per check as the sandbox's own
// config, on the sandbox as provisioned and with every name changed; two candidate groups are a
// decision (exit 1); an existing file and an unknown cluster are one line and exit 2.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand } from '@aws-sdk/client-ec2';
import { CreateServiceCommand, DeleteServiceCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, type ContainerDefinition } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { destroyClients, makeClients, type AwsClients } from '../../src/aws/clients.js';
import { configSchema, type ConfigInput } from '../../src/config/schema.js';
import { breakSandbox, readSandboxState } from '../../src/sandbox/faults/index.js';
import { SANDBOX_NAMES, type SandboxState } from '../../src/sandbox/provision.js';
import { cli } from '../support/cli.js';
import { AWS_ERROR, startFaultProxy } from '../support/fault-proxy.js';
import { endpoint, freshSandbox, runAll, statusMap } from '../support/live.js';

const CONFIG = 'askedgi-doctor.yaml';

/** stderr without the AWS SDK's own Node 20 support notice (see cli.test.ts). */
const doctorLines = (stderr: string): string[] =>
  stderr
    .replace(/\(node:\d+\) Warning: NodeVersionSupportWarning:[\s\S]*?\(Use `node --trace-warnings \.\.\.` to show where the warning was created\)\n/, '')
    .split('\n')
    .filter((l) => l.trim() !== '');

const init = (out: string, ...extra: string[]) => cli(['init', '--cluster', SANDBOX_NAMES.cluster, '--region', 'us-east-1', '--endpoint', endpoint(), '-o', out, ...extra]);

const readYaml = (file: string) => parse(readFileSync(file, 'utf8')) as ConfigInput;

/**
 * A directory holding init's config plus what init cannot discover: the sandbox's own database,
 * workspace and smoke sections (the tenant URL, and the logins as env: references), so both runs
 * read the same database and tenant.
 */
function withProbeSections(sandboxDir: string, initFile: string, into: string): string {
  const sandbox = readYaml(join(sandboxDir, CONFIG));
  mkdirSync(into, { recursive: true });
  const cfg = { ...readYaml(initFile), database: sandbox.database, workspace: sandbox.workspace, smoke: sandbox.smoke };
  writeFileSync(join(into, CONFIG), stringify(cfg));
  return into;
}

/** `key: value` lines with no comment of their own, nor one above them or above a key they sit under. */
function uncommentedValues(text: string): string[] {
  const lines = text.split('\n');
  const indent = (l: string) => l.length - l.trimStart().length;
  const commentedAbove = (i: number) => /^\s*#/.test(lines[i - 1] ?? '');
  return lines.filter((l, i) => {
    if (!/^\s*[A-Za-z_]+: \S/.test(l) || l.includes(' # ') || commentedAbove(i)) return false;
    // Walk up to each enclosing key; a comment above any of them covers this line.
    let depth = indent(l);
    for (let j = i - 1; j >= 0 && depth > 0; j--) {
      if (lines[j]!.trim() === '' || /^\s*#/.test(lines[j]!) || indent(lines[j]!) >= depth) continue;
      if (commentedAbove(j)) return false;
      depth = indent(lines[j]!);
    }
    return true;
  });
}

describe('askedgi-doctor init on the sandbox', () => {
  it('round trip: init finds every value with its source, and run on its config gives the statuses of the sandbox config', async () => {
    const dir = await freshSandbox();
    const state = await readSandboxState(dir);
    const out = join(dir, 'init', CONFIG);
    const r = await init(out);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/every value discovered/);
    const text = readFileSync(out, 'utf8');
    // The first line points the YAML language server at the shipped schema, relative to the file.
    const schemaRef = /^# yaml-language-server: \$schema=(\S+)$/.exec(text.split('\n')[0]!)?.[1];
    expect(schemaRef).toBeDefined();
    expect(resolve(dirname(out), schemaRef!)).toBe(resolve(import.meta.dirname, '../../schemas/askedgi-doctor.config.schema.json'));
    expect(uncommentedValues(text)).toEqual([]);
    // The key id is shown shortened only.
    expect(text).not.toContain(state.iam.accessKeyId);
    expect(text).toContain(`${state.iam.accessKeyId.slice(0, 4)}…${state.iam.accessKeyId.slice(-4)}`);
    expect(text).toMatch(/S3 bucket: .+ \(BUCKET_NAME on edgi-data-service:2\)/);
    expect(text).toMatch(/SQS queue prefix: askedgi-sandbox/);

    const cfg = configSchema.parse(readYaml(out));
    expect(cfg).toMatchObject({
      region: 'us-east-1',
      accountId: state.accountId,
      cluster: SANDBOX_NAMES.cluster,
      env: 'dev',
      services: SANDBOX_NAMES.services,
      taskDefinitions: SANDBOX_NAMES.families,
      network: { edgiSecurityGroup: state.securityGroups.edgi, subnets: state.subnets.insight },
      securityGroups: { elasticsearch: state.securityGroups.elasticsearch, rds: state.securityGroups.rds, efs: state.securityGroups.efs },
      efs: { fileSystemId: state.efs.fileSystemId },
      iam: { user: SANDBOX_NAMES.iam.user, userPolicy: SANDBOX_NAMES.iam.userPolicy, taskRole: SANDBOX_NAMES.iam.taskRole, taskRolePolicy: SANDBOX_NAMES.iam.taskRolePolicy },
    });

    const own = statusMap((await runAll(dir)).results);
    const mine = statusMap((await runAll(withProbeSections(dir, out, join(dir, 'init-run')))).results);
    expect(mine).toEqual(own);
    expect(Object.values(own).filter((s) => s === 'pass').length).toBeGreaterThan(40);
  });

  it('with every name changed (families, containers, services), init still recognises Insight, Data, UI and Job', async () => {
    const dir = await freshSandbox();
    const state = await readSandboxState(dir);
    const names = await renameDeployment(state);
    const out = join(dir, 'renamed', CONFIG);
    const r = await init(out);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const cfg = configSchema.parse(readYaml(out));
    expect(cfg.services).toEqual(names.services);
    expect(cfg.taskDefinitions).toEqual(names.families);
    expect(cfg.securityGroups.efs).toBe(state.securityGroups.efs);

    // The same statuses as a config written by hand with the new names.
    const hand = readYaml(join(dir, CONFIG));
    const handDir = join(dir, 'hand');
    mkdirSync(handDir, { recursive: true });
    writeFileSync(join(handDir, CONFIG), stringify({ ...hand, services: names.services, taskDefinitions: names.families }));
    const byHand = statusMap((await runAll(handDir)).results);
    const mine = statusMap((await runAll(withProbeSections(dir, out, join(dir, 'renamed-run')))).results);
    expect(mine).toEqual(byHand);
    expect(byHand['insight-service-running']).toBe('pass');
  });

  it('two candidate groups for Elasticsearch: both written commented out, a decide: list on stderr, exit 1', async () => {
    const dir = await freshSandbox();
    const state = await readSandboxState(dir);
    const decoy = await withClients(state, async (c) => {
      const g = await c.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'search-replica', Description: 'a second search cluster', VpcId: state.vpc.id }));
      await c.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: state.securityGroups.edgi, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 9200, ToPort: 9200, UserIdGroupPairs: [{ GroupId: g.GroupId! }] }] }));
      return g.GroupId!;
    });
    const out = join(dir, 'ambiguous', CONFIG);
    const r = await init(out);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const lines = doctorLines(r.stderr);
    expect(lines[0]).toBe('decide:');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^ {2}- securityGroups\.elasticsearch: 2 candidates for the Elasticsearch security group: /);
    expect(lines[1]).toContain(state.securityGroups.elasticsearch);
    expect(lines[1]).toContain(`${decoy} (search-replica)`);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(`# elasticsearch: ${state.securityGroups.elasticsearch} # inbound TCP 9200 rule`);
    expect(text).toContain(`# elasticsearch: ${decoy} # inbound TCP 9200 rule`);
    const raw = readYaml(out);
    expect(raw.securityGroups).toEqual({ rds: state.securityGroups.rds, efs: state.securityGroups.efs });
  });

  it('a second (monitoring) group on the Insight service: the Edgi group is the one whose rules name the peers', async () => {
    const dir = await freshSandbox();
    await breakSandbox('shape-two-security-groups-pinned', { endpoint: endpoint(), outDir: dir });
    const state = await readSandboxState(dir);
    const out = join(dir, 'two-groups', CONFIG);
    const r = await init(out);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(`edgiSecurityGroup: ${state.securityGroups.edgi} # from the one of the 2 security groups of service ${SANDBOX_NAMES.services.insight} whose inbound rules name`);
  });

  it('refuses to overwrite without --force; unusable credentials, an unknown cluster, no region or a denied read write nothing: one line, exit 2; without --region the region of the AWS profile', async () => {
    const dir = await freshSandbox();
    const out = join(dir, 'existing.yaml');
    writeFileSync(out, 'cluster: mine\n');
    const refused = await init(out);
    expect(refused.code, refused.stderr).toBe(2);
    expect(doctorLines(refused.stderr)).toEqual([`askedgi-doctor: ${out} exists; init does not overwrite it without --force`]);
    expect(readFileSync(out, 'utf8')).toBe('cluster: mine\n');

    const unknown = await cli(['init', '--cluster', 'no-such-cluster', '--region', 'us-east-1', '--endpoint', endpoint(), '-o', out, '--force']);
    expect(unknown.code, unknown.stderr).toBe(2);
    expect(doctorLines(unknown.stderr)).toEqual(['askedgi-doctor: ECS cluster no-such-cluster not found in us-east-1; check --cluster, --region and --profile']);
    expect(readFileSync(out, 'utf8')).toBe('cluster: mine\n');
    const fresh = join(dir, 'nothing', CONFIG);
    const none = await cli(['init', '--cluster', 'no-such-cluster', '--region', 'us-east-1', '--endpoint', endpoint(), '-o', fresh]);
    expect(none.code).toBe(2);
    expect(existsSync(fresh)).toBe(false);

    // Credentials that cannot be resolved: the pre-flight's one line, nothing written.
    const empty = join(dir, 'empty-aws-config');
    writeFileSync(empty, '');
    const noCredentials = { AWS_CONFIG_FILE: empty, AWS_SHARED_CREDENTIALS_FILE: empty, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined, AWS_EC2_METADATA_DISABLED: 'true' };
    const nope = await cli(['init', '--cluster', SANDBOX_NAMES.cluster, '--region', 'us-east-1', '--endpoint', endpoint(), '--profile', 'nope', '-o', fresh], noCredentials);
    expect(nope.code, nope.stderr).toBe(2);
    expect(doctorLines(nope.stderr)).toHaveLength(1);
    expect(doctorLines(nope.stderr)[0]).toMatch(/^askedgi-doctor: AWS credentials for profile "nope" in us-east-1 cannot be used: .*Could not load credentials from any providers/);
    expect(existsSync(fresh)).toBe(false);

    // No --region and no AWS_REGION: the profile's region, as the SDK reads it; none anywhere is one line.
    const profileDir = join(dir, 'aws-profile');
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(join(profileDir, 'config'), '[profile acme]\nregion = us-east-1\n');
    writeFileSync(join(profileDir, 'credentials'), '[acme]\naws_access_key_id = testing\naws_secret_access_key = testing\n');
    const profileEnv = { AWS_CONFIG_FILE: join(profileDir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(profileDir, 'credentials'), AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined };
    const fromProfile = join(dir, 'from-profile', CONFIG);
    const byProfile = await cli(['init', '--cluster', SANDBOX_NAMES.cluster, '--profile', 'acme', '--endpoint', endpoint(), '-o', fromProfile], profileEnv);
    expect(byProfile.code, byProfile.stderr).toBe(0);
    expect(readYaml(fromProfile).region).toBe('us-east-1');
    writeFileSync(join(profileDir, 'config'), '[profile acme]\n');
    const noRegion = await cli(['init', '--cluster', SANDBOX_NAMES.cluster, '--profile', 'acme', '--endpoint', endpoint(), '-o', join(dir, 'no-region', CONFIG)], profileEnv);
    expect(noRegion.code, noRegion.stderr).toBe(2);
    expect(doctorLines(noRegion.stderr)).toEqual(['askedgi-doctor: init needs a region: pass --region, set AWS_REGION, or set region in the AWS profile']);
    expect(existsSync(join(dir, 'no-region', CONFIG))).toBe(false);

    // A denied read (as AWS answers a caller without ecs:ListServices): one line naming the action, nothing written.
    const proxy = await startFaultProxy(endpoint(), (req) => (req.operation === 'ListServices' ? AWS_ERROR.json(400, 'AccessDeniedException', 'User: arn:aws:iam::123456789012:user/reader is not authorized to perform: ecs:ListServices') : undefined));
    try {
      const denied = await cli(['init', '--cluster', SANDBOX_NAMES.cluster, '--region', 'us-east-1', '--endpoint', proxy.endpoint, '-o', fresh]);
      expect(denied.code, denied.stderr).toBe(2);
      const lines = doctorLines(denied.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^askedgi-doctor: init: Access denied reading services of ECS cluster askedgi-sandbox: the caller lacks permission ecs:ListServices\.$/);
      expect(existsSync(fresh)).toBe(false);
    } finally {
      await proxy.close();
    }
  });
});

async function withClients<T>(state: SandboxState, fn: (c: AwsClients) => Promise<T>): Promise<T> {
  const clients = makeClients({ region: state.region, endpoint: endpoint() });
  try {
    return await fn(clients);
  } finally {
    destroyClients(clients);
  }
}

/**
 * The sandbox as another team names it: every family, container and service renamed, the Data
 * container no longer called edgi-data-service, the variables pointing at the new names.
 */
async function renameDeployment(state: SandboxState) {
  const families = { data: 'acme-workspace', insight: 'acme-insights', ui: 'acme-portal-web', job: 'acme-portal-worker' };
  const services = { insight: 'acme-insights-svc', ui: 'acme-web', job: 'acme-worker' };
  const containers = { data: 'workspace', insight: 'insights-app', ui: 'portal', job: 'portal' };
  await withClients(state, async (c) => {
    const register = async (from: string, role: keyof typeof families, env: Record<string, string>) => {
      const td = (await c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: from }))).taskDefinition!;
      const rename = (x: ContainerDefinition): ContainerDefinition => ({ ...x, name: containers[role], environment: (x.environment ?? []).map((e) => (e.name! in env ? { ...e, value: env[e.name!] } : e)) });
      const out = await c.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: families[role],
          taskRoleArn: td.taskRoleArn,
          executionRoleArn: td.executionRoleArn,
          networkMode: td.networkMode,
          containerDefinitions: (td.containerDefinitions ?? []).map(rename),
          volumes: td.volumes,
          requiresCompatibilities: td.requiresCompatibilities,
          cpu: td.cpu,
          memory: td.memory,
          ephemeralStorage: td.ephemeralStorage,
        }),
      );
      return out.taskDefinition!.taskDefinitionArn!;
    };
    const dataArn = await register(SANDBOX_NAMES.families.data, 'data', {});
    const host = { EDGI_WORKSPACE_HOST: families.data };
    const arns = {
      insight: await register(SANDBOX_NAMES.families.insight, 'insight', { ...host, TASK_DEFINITION: dataArn }),
      ui: await register(SANDBOX_NAMES.families.ui, 'ui', host),
      job: await register(SANDBOX_NAMES.families.job, 'job', host),
    };
    for (const role of ['insight', 'ui', 'job'] as const) {
      const cluster = state.cluster.name;
      const old = (await c.ecs.send(new DescribeServicesCommand({ cluster, services: [SANDBOX_NAMES.services[role]] }))).services![0]!;
      await c.ecs.send(new DeleteServiceCommand({ cluster, service: SANDBOX_NAMES.services[role], force: true }));
      await c.ecs.send(
        new CreateServiceCommand({
          cluster,
          serviceName: services[role],
          taskDefinition: arns[role],
          desiredCount: old.desiredCount,
          launchType: old.launchType,
          networkConfiguration: old.networkConfiguration,
          serviceRegistries: old.serviceRegistries,
        }),
      );
    }
  });
  return { families, services };
}
