// Issue 12 and 11 A2 through the live inventory: moto for what it does, and the fault proxy in front
// of moto answering as AWS does (status, error code, headers, body per protocol) for what moto
// does not produce. Each test name says which.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroyClients, makeClients } from '../../src/aws/clients.js';
import { CHECKS } from '../../src/checks/index.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { runChecks } from '../../src/engine/runner.js';
import { databaseAccess } from '../../src/inventory/db-connect.js';
import { LiveInventory, type LiveInventoryOptions } from '../../src/inventory/live.js';
import type { CheckResult } from '../../src/model.js';
import { AWS_ERROR, HANG, startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { addUnrelatedResources } from '../../src/sandbox/noise.js';
import { CHECKS_WITHOUT_BROWSER, CLEAN_STATUS, currentStack, endpoint, freshSandbox, statusMap } from '../support/live.js';

let dir: string;
let cfg: Config;
let proxy: FaultProxy;

beforeAll(async () => {
  dir = await freshSandbox();
  cfg = loadConfig(join(dir, 'askedgi-doctor.yaml'), { checkIds: CHECKS.map((c) => c.id) });
  proxy = await startFaultProxy(endpoint());
});

afterAll(async () => {
  await proxy?.close();
});

const clean = () => Object.fromEntries(CHECKS_WITHOUT_BROWSER.map((c) => [c.id, CLEAN_STATUS[c.id] ?? 'pass']));

async function run(opts: Partial<LiveInventoryOptions> & { prefetch?: boolean } = {}, checks = CHECKS_WITHOUT_BROWSER) {
  const inv = new LiveInventory({ region: cfg.region!, endpoint: proxy.endpoint, database: databaseAccess(cfg, process.env), ...opts });
  try {
    if (opts.prefetch) inv.prefetch(cfg, checks.flatMap((c) => c.permissions));
    const results = await runChecks(checks, inv, cfg, { outDir: join(dir, 'reports'), env: process.env });
    return { results, apiCalls: inv.apiCalls(), inv };
  } finally {
    inv.destroy();
  }
}

const byId = (results: CheckResult[], id: string) => results.find((r) => r.id === id)!;
const only = (...ids: string[]) => CHECKS.filter((c) => ids.includes(c.id));

describe('11 A2: an AWS endpoint that accepts and never answers', () => {
  it('a request that is never answered is error naming the operation and the limit, and the run ends quickly (proxy, as AWS answers)', async () => {
    proxy.inject = (req) => (req.operation === 'DescribeServices' ? HANG : undefined);
    const t0 = Date.now();
    const { results } = await run({ timeouts: { connectMs: 1000, requestMs: 300 }, maxAttempts: 2 }, only('insight-service-running', 'insight-cluster-exists'));
    expect(Date.now() - t0).toBeLessThan(20_000);
    const running = byId(results, 'insight-service-running');
    expect(running.status).toBe('error');
    expect(running.findings[0]!.message).toMatch(/^ecs:DescribeServices timed out after 0\.3 s \(no answer; 2 attempts\) reading ECS service /);
    expect(running.findings[0]!.expected ?? '').not.toMatch(/permission/);
    expect(byId(results, 'insight-cluster-exists').status).toBe('pass');
  });
});

describe('12.1 mount-target security groups', () => {
  const sgPath = /^\/2015-02-01\/mount-targets\/([^/]+)\/security-groups/;

  it('IncorrectMountTargetState on one target is an error for that target only (proxy, as AWS answers)', async () => {
    let first: string | undefined;
    proxy.inject = (req) => {
      const id = sgPath.exec(req.url)?.[1];
      if (!id || req.method !== 'GET') return undefined;
      first ??= id;
      return id === first ? AWS_ERROR.restJson(409, 'IncorrectMountTargetState', `Mount target '${id}' is not in the correct state.`) : undefined;
    };
    const { results } = await run({}, only('efs-mount-targets-allow-nfs', 'insight-service-network'));
    const r = byId(results, 'efs-mount-targets-allow-nfs');
    expect(r.findings.map((f) => f.status).sort()).toEqual(['error', 'pass']);
    expect(r.findings.find((f) => f.status === 'error')!.message).toContain(`${first} is changing state (IncorrectMountTargetState)`);
  });

  it('a denial of the network-interface read names ec2:DescribeNetworkInterfaceAttribute (proxy, as AWS answers)', async () => {
    proxy.inject = (req) =>
      sgPath.test(req.url) ? AWS_ERROR.restJson(403, 'AccessDeniedException', 'User: arn:aws:iam::123456789012:user/doctor is not authorized to perform: ec2:DescribeNetworkInterfaceAttribute on resource: *') : undefined;
    const { results } = await run({}, only('efs-mount-targets-allow-nfs', 'insight-service-network'));
    const r = byId(results, 'efs-mount-targets-allow-nfs');
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain('lacks permission ec2:DescribeNetworkInterfaceAttribute');
  });
});

describe('12.2 S3 bucket in another region', () => {
  it('301 PermanentRedirect with x-amz-bucket-region: the bucket\'s region is reported and the check fails; CORS is read in that region (proxy, as AWS answers)', async () => {
    let corsRegion: string | undefined;
    proxy.inject = (req) => {
      if (req.method === 'GET' && /[?&]list-type=2/.test(req.url) && /max-keys=0/.test(req.url)) {
        return AWS_ERROR.s3(301, 'PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint.', { 'x-amz-bucket-region': 'eu-west-1' }, '<Endpoint>s3.eu-west-1.amazonaws.com</Endpoint>');
      }
      if (/[?&]cors/.test(req.url)) corsRegion = /Credential=[^/]+\/\d+\/([a-z0-9-]+)\/s3\//.exec(String(req.headers.authorization))?.[1];
      return undefined;
    };
    const { results } = await run({}, only('s3-bucket-exists', 's3-bucket-cors', 'data-task-definition'));
    const r = byId(results, 's3-bucket-exists');
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain(`is in region eu-west-1, not the deployment's region ${cfg.region}.`);
    expect(r.findings[0]!.message).not.toMatch(/permission/);
    expect(corsRegion).toBe('eu-west-1');
    expect(byId(results, 's3-bucket-cors').status).not.toBe('error');
  });

  it('a 403 to ExpectedBucketOwner says the bucket may be another account\'s, not only a missing permission (proxy, as AWS answers)', async () => {
    proxy.inject = (req) => {
      if (req.method === 'GET' && /[?&]list-type=2/.test(req.url)) {
        expect(req.headers['x-amz-expected-bucket-owner']).toMatch(/^\d{12}$/);
        return AWS_ERROR.s3(403, 'AccessDenied', 'Access Denied');
      }
      return undefined;
    };
    const { results } = await run({}, only('s3-bucket-exists', 'data-task-definition'));
    const r = byId(results, 's3-bucket-exists');
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toMatch(/lacks permission s3:ListBucket\. Or the bucket is owned by another account than \d{12}/);
  });
});

describe('12.3 credentials rejected', () => {
  it('STS InvalidClientTokenId and EC2 AuthFailure are credentials, not a missing permission (proxy, as AWS answers)', async () => {
    proxy.inject = (req) => {
      if (req.operation === 'GetCallerIdentity') return AWS_ERROR.query(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
      if (req.operation === 'DescribeSecurityGroups') return AWS_ERROR.ec2(401, 'AuthFailure', 'AWS was not able to validate the provided access credentials');
      return undefined;
    };
    const { results } = await run({}, only('caller-identity', 'rds-sg-allows-edgi', 'insight-service-network'));
    for (const id of ['caller-identity', 'rds-sg-allows-edgi']) {
      const r = byId(results, id);
      expect(r.status, id).toBe('error');
      expect(r.findings[0]!.message).toContain('AWS rejected the credentials');
      expect(r.findings[0]!.message).not.toMatch(/lacks permission/);
      expect(r.findings[0]!.expected).toBeUndefined();
    }
  });
});

describe('12.4 Secrets Manager', () => {
  it('InvalidRequestException is a secret scheduled for deletion, with its DeletedDate (proxy, as AWS answers)', async () => {
    proxy.inject = (req) => {
      if (req.operation === 'GetSecretValue') return AWS_ERROR.json(400, 'InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");
      if (req.operation === 'DescribeSecret') return { status: 200, contentType: 'application/x-amz-json-1.1', body: JSON.stringify({ ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x', Name: 'x', DeletedDate: 1798761600 }) };
      return undefined;
    };
    const { results } = await run({}, only('data-db-secret', 'data-task-definition'));
    const r = byId(results, 'data-db-secret');
    // DescribeSecret is read first: its DeletedDate makes the finding a fail with the date.
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.code).toBe('data-db-secret/secret-scheduled-for-deletion');
    expect(r.findings[0]!.message).toContain('is scheduled for deletion on 2027-01-01T00:00:00.000Z');
    expect(r.findings[0]!.found).toBe('DeletedDate 2027-01-01T00:00:00.000Z');
  });

  it('InvalidRequestException from GetSecretValue while DescribeSecret shows no DeletedDate is an error naming the refusal (proxy)', async () => {
    proxy.inject = (req) => {
      if (req.operation === 'GetSecretValue') return AWS_ERROR.json(400, 'InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");
      if (req.operation === 'DescribeSecret') return { status: 200, contentType: 'application/x-amz-json-1.1', body: JSON.stringify({ ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x', Name: 'x' }) };
      return undefined;
    };
    const { results } = await run({}, only('data-db-secret', 'data-task-definition'));
    const r = byId(results, 'data-db-secret');
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain('the secret is scheduled for deletion;');
  });

  it('DecryptionFailure names kms:Decrypt and the key (proxy, as AWS answers)', async () => {
    proxy.inject = (req) => {
      if (req.operation === 'GetSecretValue') return AWS_ERROR.json(400, 'DecryptionFailure', "Secrets Manager can't decrypt the protected secret text using the provided KMS key.");
      if (req.operation === 'DescribeSecret') return { status: 200, contentType: 'application/x-amz-json-1.1', body: JSON.stringify({ Name: 'x', KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k-1' }) };
      return undefined;
    };
    const { results } = await run({}, only('data-db-secret', 'data-task-definition'));
    const r = byId(results, 'data-db-secret');
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain('lacks permission kms:Decrypt');
    expect(r.findings[0]!.message).toContain('KMS key arn:aws:kms:us-east-1:123456789012:key/k-1');
  });
});

describe('12.7 ECS ClientException', () => {
  it('a ClientException that says "not authorized" is access denied, not a missing task definition (proxy, as AWS answers)', async () => {
    proxy.inject = (req) =>
      req.operation === 'DescribeTaskDefinition'
        ? AWS_ERROR.json(400, 'ClientException', 'User: arn:aws:iam::123456789012:user/doctor is not authorized to perform: ecs:DescribeTaskDefinition on resource: *')
        : undefined;
    const { results } = await run({}, only('data-task-definition'));
    const r = byId(results, 'data-task-definition');
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain('lacks permission ecs:DescribeTaskDefinition');
  });

  it('"Unable to describe task definition." is a missing task definition (moto)', async () => {
    proxy.inject = () => undefined;
    const inv = new LiveInventory({ region: cfg.region!, endpoint: endpoint() });
    try {
      await expect(inv.taskDefinition('no-such-family-anywhere')).resolves.toBeUndefined();
    } finally {
      inv.destroy();
    }
  });
});

describe('12.6 pagination', () => {
  it('with one item per page every listing still reads everything: the same statuses, more than one page where moto pages (moto)', async () => {
    proxy.inject = () => undefined;
    const { results, apiCalls } = await run({ pageSize: 1 });
    expect(statusMap(results)).toEqual(clean());
    const { apiCalls: base } = await run({});
    // moto pages these listings (the sandbox has several items of each); the others it answers whole
    // whatever the page size (EFS access points, Cloud Map) or hold one item: the fixture covers them.
    for (const op of ['elasticfilesystem:DescribeMountTargets', 'sqs:ListQueues', 'iam:ListAttachedRolePolicies', 'iam:ListAttachedUserPolicies']) {
      expect(apiCalls[op], op).toBeGreaterThan(base[op]!);
    }
  });
});

describe('13.3 prefetch', () => {
  it('reads nothing twice and nothing more than the checks do: the same calls with and without prefetch (moto)', async () => {
    proxy.inject = () => undefined;
    const plain = await run({});
    const pre = await run({ prefetch: true });
    expect(statusMap(pre.results)).toEqual(clean());
    expect(pre.apiCalls).toEqual(plain.apiCalls);
  });

  it('the configuration and the answers alone start every read of a run but the few a check decides on: what the checks add after prefetch settles (moto)', async () => {
    proxy.inject = () => undefined;
    const inv = new LiveInventory({ region: cfg.region!, endpoint: proxy.endpoint, database: databaseAccess(cfg, process.env) });
    try {
      inv.prefetch(cfg, CHECKS_WITHOUT_BROWSER.flatMap((c) => c.permissions));
      await inv.prefetched();
      const prefetched = inv.apiCalls();
      const results = await runChecks(CHECKS_WITHOUT_BROWSER, inv, cfg, { outDir: join(dir, 'reports'), env: process.env });
      expect(statusMap(results)).toEqual(clean());
      const added = Object.fromEntries(Object.entries(inv.apiCalls()).flatMap(([op, n]) => (n > (prefetched[op] ?? 0) ? [[op, n - (prefetched[op] ?? 0)]] : [])));
      // Left to the checks: the workspace probes' SQL (they declare no IAM action, so the actions do
      // not say whether they run) and the data service's Cloud Map instances, read only once those
      // rows are judged valid.
      expect(added).toEqual({ 'mysql:SET': 1, 'mysql:SELECT': 2, 'servicediscovery:ListInstances': 1 });
    } finally {
      inv.destroy();
    }
  });

  it('prefetch for one check calls only operations that check declares, so it needs no other permission (moto)', async () => {
    proxy.inject = () => undefined;
    const check = only('insight-cluster-exists');
    const { apiCalls, results } = await run({ prefetch: true }, check);
    expect(results[0]!.status).toBe('pass');
    expect(Object.keys(apiCalls).sort()).toEqual(['ecs:DescribeClusters', 'ecs:DescribeTaskDefinition', 'sts:GetCallerIdentity']);
    const { apiCalls: single } = await run({ prefetch: true }, only('task-role-trust'));
    expect(Object.keys(single).filter((op) => !op.startsWith('iam:') && op !== 'sts:GetCallerIdentity')).toEqual([]);
    // data-db-secret may read secret values too, but only the db secret: the prefetch does not read
    // the UI/Job secret references (task-secret-references' reads) for it.
    const dbSecret = only('data-db-secret');
    const { apiCalls: secretCalls } = await run({ prefetch: true }, dbSecret);
    const { apiCalls: alone } = await run({}, dbSecret);
    expect(alone['secretsmanager:GetSecretValue']).toBe(1);
    for (const op of ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']) expect(secretCalls[op], op).toBe(alone[op]);
  });
});

describe('13.3 cost flat as unrelated resources grow', () => {
  // What a check concluded, without timings ("resolves … in 3 ms" varies from run to run).
  const conclusions = (results: CheckResult[]) => results.map((r) => ({ id: r.id, status: r.status, findings: JSON.parse(JSON.stringify(r.findings).replace(/\d+(\.\d+)? ms\b/g, '# ms')) as unknown }));

  it('unrelated security groups (deployment VPC and other VPCs) and task definitions (other families and <family>-old / <family>-v2 with many revisions) add no call and change no conclusion (moto)', async () => {
    proxy.inject = () => undefined;
    // One item per page: a read that listed any unrelated resource would take more pages, so more calls.
    const before = await run({ prefetch: true, pageSize: 1 });
    const state = currentStack().state;
    const families = Object.values(cfg.taskDefinitions);
    const added = await addUnrelatedResources({ endpoint: endpoint(), region: cfg.region!, vpcId: state.vpc.id, edgiSecurityGroup: state.securityGroups.edgi, families, from: 0, to: 100 });
    // The noise is what it claims: groups in the deployment VPC and in others, families that a prefix
    // match on a deployment family's name would pick up, with several revisions each.
    expect(added.securityGroupsInDeploymentVpc).toBe(50);
    expect(added.prefixSharingTaskDefinitions).toBe(40);
    const aws = makeClients({ region: cfg.region!, endpoint: endpoint() });
    try {
      const { DescribeSecurityGroupsCommand } = await import('@aws-sdk/client-ec2');
      const { ListTaskDefinitionFamiliesCommand, ListTaskDefinitionsCommand } = await import('@aws-sdk/client-ecs');
      const groups = (await aws.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['unrelated-*'] }] }))).SecurityGroups ?? [];
      expect(new Set(groups.map((g) => g.VpcId)).size).toBe(4);
      for (const family of families) {
        const sharing = (await aws.ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: family }))).families ?? [];
        expect(sharing.sort()).toEqual([family, `${family}-old`, `${family}-v2`].sort());
        // ListTaskDefinitions' familyPrefix is the full family name (as AWS documents): no <family>-old revision.
        const revisions = (await aws.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family }))).taskDefinitionArns ?? [];
        expect(revisions.every((arn) => arn.includes(`task-definition/${family}:`))).toBe(true);
      }
    } finally {
      destroyClients(aws);
    }
    const after = await run({ prefetch: true, pageSize: 1 });
    expect(statusMap(after.results)).toEqual(clean());
    expect(conclusions(after.results)).toEqual(conclusions(before.results));
    expect(after.apiCalls).toEqual(before.apiCalls);
  });
});

describe('13.2 lazy clients', () => {
  it('a command that reads only the caller identity loads @aws-sdk/client-sts and no other client module (moto)', () => {
    const script = join(mkdtempSync(join(tmpdir(), 'lazy-')), 'probe.mts');
    const live = resolve(import.meta.dirname, '..', '..', 'src', 'inventory', 'live.ts');
    writeFileSync(
      script,
      `import { createRequire } from 'node:module';
const { LiveInventory } = await import(${JSON.stringify(live)});
const loaded = () => Object.keys(createRequire(import.meta.url).cache).map((k) => /@aws-sdk[\\\\/](client-[a-z0-9-]+)/.exec(k)?.[1]).filter(Boolean);
const before = [...new Set(loaded())];
const inv = new LiveInventory({ region: 'us-east-1', endpoint: process.argv[2] });
await inv.identity();
inv.destroy();
console.log(JSON.stringify({ before, after: [...new Set(loaded())].sort(), made: inv.clients.loaded() }));
`,
    );
    const out = execFileSync(process.execPath, ['--import', 'tsx', script, endpoint()], { encoding: 'utf8', env: { ...process.env } });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { before: string[]; after: string[]; made: string[] };
    expect(r.before).toEqual([]);
    expect(r.after).toEqual(['client-sts']);
    expect(r.made).toEqual([`sts@us-east-1`]);
  });
});
