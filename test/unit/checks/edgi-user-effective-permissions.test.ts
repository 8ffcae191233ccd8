import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/edgi-user-effective-permissions.js';
import { ACCOUNT, REGION, runOne } from '../../support/fixture-deployment.js';
import { errorsWhenDenied } from '../../support/common-cases.js';
import { healthyEffective, USER_ARN, USER_POLICY, USER_POLICY_ARN } from '../../support/effective-fixture.js';

const AI_QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:acme-ai_functions_queue`;

describe('edgi-user-effective-permissions', () => {
  it('passes when AskEdgi_policy_Saas at its default version covers the bucket and the queues', async () => {
    const r = await runOne(check, healthyEffective());
    expect(r.findings).toEqual([
      {
        status: 'pass',
        message: "IAM user edgi_user may perform all 12 required action-resource pairs; decided by the doctor's own evaluation (iam:SimulatePrincipalPolicy was unavailable) of managed policy AskEdgi_policy_Saas (v1).",
        resource: USER_ARN,
      },
    ]);
  });

  it('passes when the policy reaches the user through an IAM group instead of being attached', async () => {
    const data = healthyEffective();
    data.iamUsers![0]!.attachedPolicies = [];
    data.userGroups = { edgi_user: ['askedgi'] };
    data.groupPolicies = { askedgi: [{ name: 'AskEdgi_policy_Saas', arn: USER_POLICY_ARN }] };
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toContain('of managed policy AskEdgi_policy_Saas (v1) of group askedgi.');
  });

  it('decides a Condition on aws:username (known for a user) in a group\'s inline policy', async () => {
    const data = healthyEffective();
    data.iamUsers![0]!.attachedPolicies = [];
    data.userGroups = { edgi_user: ['askedgi'] };
    const only = (user: string) => ({ Statement: USER_POLICY.Statement.map((st) => ({ ...st, Condition: { StringEquals: { 'aws:username': user } } })) });
    data.inlinePolicies = { 'group:askedgi': { mine: only('edgi_user') } };
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toContain('of inline policy mine of group askedgi.');
    data.inlinePolicies = { 'group:askedgi': { mine: only('someone_else') } };
    const denied = await runOne(check, data);
    expect(denied.status).toBe('fail');
    expect(denied.findings).toHaveLength(12);
  });

  it('fails per queue when the user may not receive messages', async () => {
    const data = healthyEffective();
    const v1 = structuredClone(USER_POLICY);
    v1.Statement[1]!.Action = ['sqs:SendMessage', 'sqs:DeleteMessage', 'sqs:GetQueueUrl'];
    data.managedPolicies!.find((p) => p.arn === USER_POLICY_ARN)!.versions.v1 = v1;
    const r = await runOne(check, data);
    expect(r.findings.map((f) => f.message)).toEqual([
      `IAM user edgi_user may not sqs:ReceiveMessage on ${AI_QUEUE}: no policy allows it; the OvalEdge UI and Job talk to Insight through the queues (EDGI_CLIENT_PREFIX) [own evaluation].`,
      `IAM user edgi_user may not sqs:ReceiveMessage on arn:aws:sqs:${REGION}:${ACCOUNT}:acme-data_sync_queue: no policy allows it; the OvalEdge UI and Job talk to Insight through the queues (EDGI_CLIENT_PREFIX) [own evaluation].`,
    ]);
  });

  errorsWhenDenied(check, 'iam:ListGroupsForUser', { base: healthyEffective });
});
