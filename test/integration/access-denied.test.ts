import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { loadConfig } from '../../src/config/load.js';
import { runChecks } from '../../src/engine/runner.js';
import { configSchema } from '../../src/config/schema.js';
import { databaseAccess } from '../../src/inventory/db-connect.js';
import { LiveInventory } from '../../src/inventory/live.js';
import { startMoto, type MotoServer } from '../../src/sandbox/emulator.js';
import { runPolicy } from '../../src/iam-policy.js';
import { provisionSandbox } from '../../src/sandbox/provision.js';

// moto enforces IAM after its first INITIAL_NO_AUTH_ACTION_COUNT calls: those create an admin user
// and its key; everything after runs as a real, policy-checked principal.
const NO_AUTH_CALLS = 3;
const region = 'us-east-1';

function useKeys(keys: { AccessKeyId?: string; SecretAccessKey?: string }) {
  process.env.AWS_ACCESS_KEY_ID = keys.AccessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = keys.SecretAccessKey;
}

describe('least privilege, enforced by moto', () => {
  let moto: MotoServer;
  let dir: string;
  let reader: { AccessKeyId?: string; SecretAccessKey?: string };
  let doctor: { AccessKeyId?: string; SecretAccessKey?: string };
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

  beforeAll(async () => {
    moto = await startMoto({ env: { INITIAL_NO_AUTH_ACTION_COUNT: String(NO_AUTH_CALLS) } });
    const credentials = { accessKeyId: 'bootstrap', secretAccessKey: 'bootstrap' };
    const boot = new IAMClient({ region, endpoint: moto.endpoint, credentials });
    await boot.send(new CreateUserCommand({ UserName: 'admin' }));
    await boot.send(new AttachUserPolicyCommand({ UserName: 'admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    const admin = (await boot.send(new CreateAccessKeyCommand({ UserName: 'admin' }))).AccessKey!;
    boot.destroy();

    useKeys(admin);
    dir = mkdtempSync(join(tmpdir(), 'askedgi-denied-'));
    await provisionSandbox({ endpoint: moto.endpoint, region, outDir: dir });
    const iam = new IAMClient({ region, endpoint: moto.endpoint });
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'reader',
        PolicyName: 'read-all-but-security-groups',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['sts:GetCallerIdentity', 'ecs:Describe*', 'ecs:List*', 'ec2:Describe*', 'elasticfilesystem:Describe*'], Resource: '*' },
            { Effect: 'Deny', Action: ['ec2:DescribeSecurityGroups'], Resource: '*' },
          ],
        }),
      }),
    );
    reader = (await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }))).AccessKey!;
    await iam.send(new CreateUserCommand({ UserName: 'doctor' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'doctor', PolicyName: 'askedgi-doctor-read', PolicyDocument: JSON.stringify(runPolicy(CHECKS)) }));
    doctor = (await iam.send(new CreateAccessKeyCommand({ UserName: 'doctor' }))).AccessKey!;
    iam.destroy();
  }, 120_000);

  afterAll(async () => {
    useKeys({ AccessKeyId: saved.id, SecretAccessKey: saved.secret });
    await moto?.stop();
  });

  const runAs = async (keys: { AccessKeyId?: string; SecretAccessKey?: string }) => {
    useKeys(keys);
    const cfg = loadConfig(join(dir, 'askedgi-doctor.yaml'), { checkIds: CHECKS.map((c) => c.id) });
    const inv = new LiveInventory({ region, endpoint: moto.endpoint, maxAttempts: 2 });
    try {
      return await runChecks(CHECKS, inv, cfg);
    } finally {
      inv.destroy();
    }
  };

  it('the policy printed by iam-policy is enough: no check reports error', async () => {
    const results = await runAs(doctor);
    const errors = results.filter((r) => r.status === 'error').map((r) => ({ id: r.id, findings: r.findings }));
    expect(errors).toEqual([]);
    // This sandbox has no database or app, and the doctor is outside the VPC: those probes skip
    // with the reason, everything else passes.
    const notPassing = results.filter((r) => r.status !== 'pass');
    expect(notPassing.map((r) => `${r.id}:${r.status}`)).toEqual([
      'workspace-row:skip',
      'workspace-uptime:skip',
      'workspace-cloud-map:skip',
      'insight-endpoint-reachable:skip',
      'ovaledge-reachable:skip',
      'browser-smoke:skip',
    ]);
  });

  it('with database.fromSecret and no secretsmanager:GetSecretValue: the database probes report error naming that action', async () => {
    useKeys(reader);
    const cfg = loadConfig(join(dir, 'askedgi-doctor.yaml'), { checkIds: CHECKS.map((c) => c.id) });
    cfg.database = configSchema.shape.database.parse({ fromSecret: true });
    const inv = new LiveInventory({ region, endpoint: moto.endpoint, maxAttempts: 2, database: databaseAccess(cfg, process.env) });
    try {
      const [row] = await runChecks(CHECKS.filter((c) => c.id === 'workspace-row'), inv, { ...cfg, workspace: { user: 'admin' } });
      expect(row!.status).toBe('error');
      expect(row!.findings[0]!.message).toMatch(/the caller lacks permission secretsmanager:GetSecretValue/);
    } finally {
      inv.destroy();
    }
  });

  it('without ec2:DescribeSecurityGroups: error naming the permission where it is needed; the others still run and pass', async () => {
    const results = await runAs(reader);
    const byId = Object.fromEntries(results.map((r) => [r.id, r]));
    for (const id of ['edgi-sg-ingress-vpc', 'edgi-sg-ingress-elasticsearch', 'edgi-sg-ingress-rds', 'edgi-sg-ingress-efs', 'rds-sg-allows-edgi', 'elasticsearch-sg-allows-edgi', 'efs-mount-targets-allow-nfs']) {
      expect(byId[id]!.status, id).toBe('error');
      expect(byId[id]!.findings[0]!.message, id).toMatch(/the caller lacks permission ec2:DescribeSecurityGroups/);
    }
    for (const id of ['caller-identity', 'region-agreement', 'insight-service-network', 'insight-subnets-private']) {
      expect(byId[id]!.status, `${id}: ${JSON.stringify(byId[id]!.findings)}`).toBe('pass');
    }
  });
});
