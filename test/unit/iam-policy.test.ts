import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { runPolicy } from '../../src/iam-policy.js';

describe('iam-policy', () => {
  it('grants exactly the union of the checks\' read actions plus sts:GetCallerIdentity, sorted, once each', () => {
    const policy = runPolicy(CHECKS);
    const actions = policy.Statement[0]!.Action;
    expect(new Set(actions).size).toBe(actions.length);
    expect(actions).toEqual([...actions].sort());
    expect(actions).toContain('sts:GetCallerIdentity');
    for (const c of CHECKS) for (const p of c.permissions) expect(actions).toContain(p);
    expect(actions.filter((a) => !/^([a-z0-9-]+:(Describe|List|Get|Filter|Head)|iam:SimulatePrincipalPolicy$)/.test(a))).toEqual([]);
  });

  it('narrows to the selected checks', () => {
    const one = CHECKS.find((c) => c.id === 'insight-subnets-private')!;
    expect(runPolicy([one]).Statement[0]!.Action).toEqual([...new Set(['sts:GetCallerIdentity', ...one.permissions])].sort());
  });
});

describe('iam-policy for a config that reads the database credentials from the secret', () => {
  it('adds secretsmanager:GetSecretValue only with database.fromSecret', async () => {
    const { configActions } = await import('../../src/iam-policy.js');
    expect(configActions({ database: undefined })).toEqual([]);
    expect(configActions(undefined)).toEqual([]);
    const fromSecret = { database: { fromSecret: true } } as Parameters<typeof configActions>[0];
    expect(configActions(fromSecret)).toEqual(['secretsmanager:GetSecretValue']);
    expect(runPolicy([], configActions(fromSecret)).Statement[0]!.Action).toEqual(['secretsmanager:GetSecretValue', 'sts:GetCallerIdentity']);
  });
});
