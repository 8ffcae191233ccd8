import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { configActions, INIT_ONLY_ACTIONS, remediatePolicy, runPolicy, type PolicyDocumentOut } from '../../src/iam-policy.js';
import { REMEDIATE_PERMISSIONS } from '../../src/remediate/actions/index.js';
import { config } from '../support/fixture-deployment.js';

const allActions = (p: PolicyDocumentOut) => p.Statement.flatMap((s) => s.Action);
const resourceOf = (p: PolicyDocumentOut, action: string) => p.Statement.find((s) => s.Action.includes(action))?.Resource;

describe('iam-policy --init', () => {
  it('the run policy plus init\'s two reads covers every action init reads with', async () => {
    const { INIT_PERMISSIONS } = await import('../../src/init/discover.js');
    const granted = new Set(allActions(runPolicy(CHECKS, [...INIT_ONLY_ACTIONS])));
    expect(INIT_PERMISSIONS.filter((a) => !granted.has(a))).toEqual([]);
    const plain = new Set(allActions(runPolicy(CHECKS)));
    expect(INIT_ONLY_ACTIONS.filter((a) => plain.has(a))).toEqual([]);
  });
});

describe('iam-policy', () => {
  it('grants exactly the union of the checks\' read actions plus sts:GetCallerIdentity, sorted, once each', () => {
    const policy = runPolicy(CHECKS);
    const actions = allActions(policy);
    expect(new Set(actions).size).toBe(actions.length);
    for (const s of policy.Statement) expect(s.Action).toEqual([...s.Action].sort());
    expect(actions).toContain('sts:GetCallerIdentity');
    for (const c of CHECKS) for (const p of c.permissions) expect(actions).toContain(p);
    expect(actions.filter((a) => !/^([a-z0-9-]+:(Describe|List|Get|Filter|Head)|iam:SimulatePrincipalPolicy$)/.test(a))).toEqual([]);
  });

  it('narrows to the selected checks', () => {
    const one = CHECKS.find((c) => c.id === 'insight-subnets-private')!;
    expect(allActions(runPolicy([one])).sort()).toEqual([...new Set(['sts:GetCallerIdentity', ...one.permissions])].sort());
  });
});

describe('iam-policy for a config that reads the database credentials from the secret', () => {
  it('adds secretsmanager:GetSecretValue only with database.fromSecret', () => {
    expect(configActions({ database: undefined })).toEqual([]);
    expect(configActions(undefined)).toEqual([]);
    const fromSecret = { database: { fromSecret: true } } as Parameters<typeof configActions>[0];
    expect(configActions(fromSecret)).toEqual(['secretsmanager:GetSecretValue']);
    expect(allActions(runPolicy([], configActions(fromSecret))).sort()).toEqual(['secretsmanager:GetSecretValue', 'sts:GetCallerIdentity']);
  });
});

describe('iam-policy scopes resources where the config makes them known (issue 11 C4)', () => {
  const cfg = config({ accountId: '123456789012', database: { fromSecret: true } } as never);

  it('run: GetSecretValue only on secrets of the account and region, DescribeServices only on the configured services; the rest "*" (no resource-level permissions)', () => {
    const p = runPolicy(CHECKS, configActions(cfg), cfg);
    expect(resourceOf(p, 'secretsmanager:GetSecretValue')).toBe(`arn:aws:secretsmanager:${cfg.region}:123456789012:secret:*`);
    expect(resourceOf(p, 'ecs:DescribeServices')).toEqual(
      [cfg.services.insight, cfg.services.job, cfg.services.ui].sort().map((s) => `arn:aws:ecs:${cfg.region}:123456789012:service/${cfg.cluster}/${s}`),
    );
    expect(resourceOf(p, 'ec2:DescribeSecurityGroups')).toBe('*');
    expect(p.Statement.filter((s) => s.Resource === '*').flatMap((s) => s.Action)).not.toContain('secretsmanager:GetSecretValue');
  });

  it('--remediate: UpdateService only on the configured services, Cloud Map writes only on services of the account and region, GetSecretValue with database.fromSecret', () => {
    const p = remediatePolicy(cfg);
    const services = [cfg.services.insight, cfg.services.job, cfg.services.ui].sort().map((s) => `arn:aws:ecs:${cfg.region}:123456789012:service/${cfg.cluster}/${s}`);
    expect(resourceOf(p, 'ecs:UpdateService')).toEqual(services);
    expect(resourceOf(p, 'servicediscovery:DeregisterInstance')).toBe(`arn:aws:servicediscovery:${cfg.region}:123456789012:service/*`);
    expect(resourceOf(p, 'servicediscovery:RegisterInstance')).toBe(`arn:aws:servicediscovery:${cfg.region}:123456789012:service/*`);
    expect(resourceOf(p, 'secretsmanager:GetSecretValue')).toBe(`arn:aws:secretsmanager:${cfg.region}:123456789012:secret:*`);
    // What Cloud Map needs besides its own actions for instances in a DNS namespace (AWS Cloud Map
    // "API permissions reference"): Route 53 records and health checks, and the EC2 instance lookup.
    for (const a of ['route53:ChangeResourceRecordSets', 'route53:GetHealthCheck', 'route53:CreateHealthCheck', 'route53:UpdateHealthCheck', 'route53:DeleteHealthCheck', 'ec2:DescribeInstances']) {
      expect(resourceOf(p, a), a).toBe('*');
    }
    expect(allActions(p).sort()).toEqual([...new Set(['sts:GetCallerIdentity', 'secretsmanager:GetSecretValue', ...REMEDIATE_PERMISSIONS])].sort());
    // Without database.fromSecret there is no GetSecretValue; without a config, writes are still not "*".
    expect(allActions(remediatePolicy(config()))).not.toContain('secretsmanager:GetSecretValue');
    // Without a config nothing is known: one statement on "*", as before.
    expect(remediatePolicy().Statement.map((s) => s.Resource)).toEqual(['*']);
    expect(runPolicy(CHECKS).Statement.map((s) => s.Resource)).toEqual(['*']);
  });
});
