import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/task-role-effective-permissions.js';
import { ACCOUNT, config, REGION, ROLE_ARN, runOne } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, skipsWhenRootFails, ROOTS } from '../../support/common-cases.js';
import { healthyEffective, POLICY_ARN, TASK_POLICY_V2 } from '../../support/effective-fixture.js';

const DATA_TD = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/edgi-data-service:2`;
const policies = 'managed policy AskEdgi_ECS_Policy (v2)';

describe('task-role-effective-permissions', () => {
  it('passes on the healthy fixture by its own evaluation when the simulator is unavailable (moto), naming the policies read', async () => {
    const r = await runOne(check, healthyEffective());
    expect(r.findings).toEqual([
      {
        status: 'pass',
        message: `IAM role AskEdgiEcsTaskRole may perform all 32 required action-resource pairs; decided by the doctor's own evaluation (iam:SimulatePrincipalPolicy was unavailable) of ${policies}.`,
        resource: ROLE_ARN,
      },
    ]);
  });

  describe('conditions AWS recommends: iam:PassedToService on PassRole, ecs:cluster on the task actions', () => {
    const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/acme`;
    const scoped = (passedTo: string, cluster: string) => {
      const data = healthyEffective();
      const policy = data.managedPolicies!.find((p) => p.arn === POLICY_ARN)!;
      policy.versions.v2 = {
        ...TASK_POLICY_V2,
        Statement: TASK_POLICY_V2.Statement.map((st) =>
          st.Sid === 'PassRoles'
            ? { ...st, Condition: { StringEquals: { 'iam:PassedToService': passedTo } } }
            : st.Sid === 'RunData' || st.Sid === 'Tasks'
              ? { ...st, Condition: { ArnEquals: { 'ecs:cluster': cluster } } }
              : st,
        ),
      };
      return data;
    };

    it('passes when they name ecs-tasks.amazonaws.com and the deployment cluster: the doctor knows what ECS sends', async () => {
      const r = await runOne(check, scoped('ecs-tasks.amazonaws.com', CLUSTER_ARN));
      expect(r.findings.map((f) => f.status)).toEqual(['pass']);
    });

    it('fails when they name another service or cluster', async () => {
      const r = await runOne(check, scoped('ec2.amazonaws.com', `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/other`));
      expect(r.findings.map((f) => [f.status, f.message.split(' on ')[0]])).toEqual([
        ['fail', `IAM role AskEdgiEcsTaskRole may not ecs:RunTask`],
        ['fail', `IAM role AskEdgiEcsTaskRole may not ecs:StopTask`],
        ['fail', `IAM role AskEdgiEcsTaskRole may not ecs:DescribeTasks`],
        ['fail', `IAM role AskEdgiEcsTaskRole may not iam:PassRole`],
        ['fail', `IAM role AskEdgiEcsTaskRole may not iam:PassRole`],
      ]);
    });
  });

  it('fails when the default version lost ecs:RunTask, though the policy is attached by name (v1 made default again)', async () => {
    const data = healthyEffective();
    data.managedPolicies!.find((p) => p.arn === POLICY_ARN)!.defaultVersionId = 'v1';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings).toEqual([
      {
        status: 'fail',
        code: 'task-role-effective-permissions/not-allowed',
        fingerprint: `task-role-effective-permissions/not-allowed@${ROLE_ARN}`,
        message: `IAM role AskEdgiEcsTaskRole may not ecs:RunTask on ${DATA_TD}: no policy allows it; Insight launches a Data task per workspace from the pinned Data revision [own evaluation].`,
        resource: ROLE_ARN,
        expected: `ecs:RunTask allowed on ${DATA_TD}`,
        found: 'managed policy AskEdgi_ECS_Policy (v1)',
      },
    ]);
  });

  it('fails when Route 53 record changes are not allowed: Cloud Map cannot (de)register a workspace instance in the DNS namespace', async () => {
    const data = healthyEffective();
    const v2 = data.managedPolicies!.find((p) => p.arn === POLICY_ARN)!.versions.v2 as typeof TASK_POLICY_V2;
    data.managedPolicies!.find((p) => p.arn === POLICY_ARN)!.versions.v2 = { ...v2, Statement: v2.Statement.filter((x) => x.Sid !== 'CloudMapDns') };
    const r = await runOne(check, data);
    expect(r.findings.map((f) => [f.status, f.message])).toEqual([
      [
        'fail',
        `IAM role AskEdgiEcsTaskRole may not route53:ChangeResourceRecordSets on arn:aws:route53:::hostedzone/Z0ASKEDGI: no policy allows it; Cloud Map writes each workspace instance's DNS records into the namespace's hosted zone with the caller's permissions [own evaluation].`,
      ],
    ]);
  });

  it('an HTTP namespace has no hosted zone: no Route 53 permission is required', async () => {
    const data = healthyEffective();
    data.namespaces = data.namespaces!.map((n) => ({ id: n.id, arn: n.arn, name: n.name, type: 'HTTP' }));
    const v2 = data.managedPolicies!.find((p) => p.arn === POLICY_ARN)!.versions.v2 as typeof TASK_POLICY_V2;
    data.managedPolicies!.find((p) => p.arn === POLICY_ARN)!.versions.v2 = { ...v2, Statement: v2.Statement.filter((x) => !x.Sid.startsWith('CloudMapDns') && x.Sid !== 'CloudMapHealthChecks') };
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toContain('may perform all 26 required action-resource pairs');
  });

  it('fails naming the inline Deny that wins over the Allow', async () => {
    const data = healthyEffective();
    data.iamRoles![0]!.inlinePolicies = ['Guard'];
    data.inlinePolicies![`role:AskEdgiEcsTaskRole`] = { Guard: { Statement: { Sid: 'NoDeletes', Effect: 'Deny', Action: 's3:Delete*', Resource: '*' } } };
    const r = await runOne(check, data);
    expect(r.findings.map((f) => f.message)).toEqual([
      `IAM role AskEdgiEcsTaskRole may not s3:DeleteObject on arn:aws:s3:::acme-askedgi/*: an explicit Deny in inline policy Guard (statement NoDeletes) wins; Insight and Data read, write and remove workspace files [own evaluation].`,
    ]);
  });

  it('fails naming the permissions boundary that caps the role, once per action and resource', async () => {
    const data = healthyEffective();
    data.managedPolicies!.push({ arn: `arn:aws:iam::${ACCOUNT}:policy/Cap`, name: 'Cap', defaultVersionId: 'v1', versions: { v1: { Statement: [{ Effect: 'Allow', NotAction: 'sqs:*', Resource: '*' }] } } });
    data.permissionsBoundaries = { 'role:AskEdgiEcsTaskRole': `arn:aws:iam::${ACCOUNT}:policy/Cap` };
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    // 4 queue actions × 2 queues.
    expect(r.findings).toHaveLength(8);
    expect(r.findings[0]).toEqual({
      status: 'fail',
      code: 'task-role-effective-permissions/boundary-denies',
      fingerprint: `task-role-effective-permissions/boundary-denies@${ROLE_ARN}`,
      message: `IAM role AskEdgiEcsTaskRole may not sqs:SendMessage on arn:aws:sqs:${REGION}:${ACCOUNT}:acme-ai_functions_queue: the permissions boundary Cap (v1) does not allow it; Insight and Data exchange work through the AI-function and data-sync queues [own evaluation].`,
      resource: ROLE_ARN,
      expected: 'sqs:SendMessage allowed by the identity policies and the permissions boundary',
      found: 'capped by permissions boundary Cap (v1)',
    });
  });

  it('warns when an Allow depends on a Condition the doctor cannot decide', async () => {
    const data = healthyEffective();
    const v2 = structuredClone(TASK_POLICY_V2) as { Statement: Record<string, unknown>[] };
    v2.Statement.find((s) => s.Sid === 'DbSecret')!.Condition = { StringEquals: { 'aws:SourceVpce': 'vpce-1' } };
    data.managedPolicies!.find((p) => p.arn === POLICY_ARN)!.versions.v2 = v2;
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    expect(r.findings.map((f) => f.message)).toEqual([
      `IAM role AskEdgiEcsTaskRole: whether it may secretsmanager:GetSecretValue on arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:acme/db-AbCdEf cannot be decided: the condition StringEquals on aws:SourceVpce depends on a request value the doctor cannot know (statement DbSecret of managed policy AskEdgi_ECS_Policy (v2)) [own evaluation].`,
    ]);
  });

  it('a policy reaching the role inline, not attached by name, is honoured', async () => {
    const data = healthyEffective();
    data.iamRoles![0]!.attachedPolicies = [];
    data.iamRoles![0]!.inlinePolicies = ['Everything'];
    data.inlinePolicies!['role:AskEdgiEcsTaskRole'] = { Everything: TASK_POLICY_V2 };
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toContain('of inline policy Everything.');
  });

  it('prefers IAM\'s simulator when the caller may use it, and says so (on the fixture: moto does not implement iam:SimulatePrincipalPolicy)', async () => {
    const data = healthyEffective();
    data.simulations = {
      [ROLE_ARN]: [
        { action: 'ecs:RunTask', resource: DATA_TD, decision: 'explicitDeny', matchedStatements: ['Guardrail'], missingContextValues: [] },
        { action: 'ecs:StopTask', resource: '*', decision: 'allowed', matchedStatements: [], missingContextValues: [] },
      ],
    };
    const r = await runOne(check, data);
    // Only the answers IAM gave: RunTask denied; the rest of the pairs have no answer in this table.
    expect(r.findings[0]).toEqual({
      status: 'fail',
      code: 'task-role-effective-permissions/explicit-deny',
      fingerprint: `task-role-effective-permissions/explicit-deny@${ROLE_ARN}`,
      message: `IAM role AskEdgiEcsTaskRole may not ecs:RunTask on ${DATA_TD}: an explicit Deny wins (Guardrail); Insight launches a Data task per workspace from the pinned Data revision [IAM simulator].`,
      resource: ROLE_ARN,
      expected: `ecs:RunTask allowed on ${DATA_TD}`,
      found: 'explicitDeny by Guardrail',
    });
    expect(r.findings.filter((f) => f.message.includes('ecs:StopTask'))).toEqual([]);
  });

  it('falls back to its own evaluation when iam:SimulatePrincipalPolicy is denied, and says so', async () => {
    const data = healthyEffective();
    data.denied = ['iam:SimulatePrincipalPolicy'];
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toContain("decided by the doctor's own evaluation (iam:SimulatePrincipalPolicy was denied) of managed policy AskEdgi_ECS_Policy (v2).");
  });

  it('uses the config\'s list instead of the default when permissions.taskRole is set', async () => {
    const r = await runOne(check, healthyEffective(), config({ permissions: { taskRole: [{ actions: ['kms:Decrypt'], resource: 'any' }] } }));
    expect(r.findings.map((f) => f.message)).toEqual(['IAM role AskEdgiEcsTaskRole may not kms:Decrypt on *: no policy allows it; required by the deployment (config) [own evaluation].']);
  });

  it('warns that the queue permissions cannot be verified when no queue exists under the prefix', async () => {
    const data = healthyEffective();
    data.sqsQueueUrls = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.message).toBe('Cannot verify that the AskEdgi ECS task role may sqs:SendMessage, sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueUrl: no SQS queue is named acme*.');
  });

  it('fails when the role does not exist', async () => {
    const data = healthyEffective();
    data.iamRoles = data.iamRoles!.filter((r) => r.name !== 'AskEdgiEcsTaskRole');
    const r = await runOne(check, data);
    expect(r.findings[0]!.message).toBe('IAM role AskEdgiEcsTaskRole not found; nothing it needs can be performed.');
  });

  skipsWhenRootFails(check, { ...ROOTS.insightFamilyMissing, base: healthyEffective });
  errorsWhenDenied(check, 'iam:GetPolicyVersion', { base: healthyEffective });
});
