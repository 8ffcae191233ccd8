import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/task-role-policy.js';
import { ACCOUNT, config, healthy, ROLE_ARN, runOne } from '../../support/fixture-deployment.js';
import { errorsWhenDenied } from '../../support/common-cases.js';

describe('task-role-policy', () => {
  it('passes when AskEdgi_ECS_Policy is attached as a managed policy', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toBe(`IAM role AskEdgiEcsTaskRole has the managed policy AskEdgi_ECS_Policy (arn:aws:iam::${ACCOUNT}:policy/AskEdgi_ECS_Policy).`);
    expect(r.findings[0]!.resource).toBe(ROLE_ARN);
  });

  it('passes when the policy is inline under that name', async () => {
    const data = healthy();
    data.iamRoles![0]!.attachedPolicies = [];
    data.iamRoles![0]!.inlinePolicies = ['AskEdgi_ECS_Policy'];
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toBe('IAM role AskEdgiEcsTaskRole has the inline policy AskEdgi_ECS_Policy.');
  });

  it('warns (policy-name-absent) when the policy is detached, listing the policies the role has', async () => {
    const data = healthy();
    data.iamRoles![0]!.attachedPolicies = [];
    data.iamRoles![0]!.inlinePolicies = ['scratch'];
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    const f = r.findings[0]!;
    expect(f.code).toBe('task-role-policy/policy-name-absent');
    expect(f.message).toBe(
      'IAM role AskEdgiEcsTaskRole has no policy named AskEdgi_ECS_Policy (attached, inline or through a group); the permissions may reach it through the policies it has, which task-role-effective-permissions evaluates.',
    );
    expect(f.resource).toBe(ROLE_ARN);
    expect(f.expected).toBe('policy AskEdgi_ECS_Policy, or the same permissions by another route');
    expect(f.found).toBe('inline scratch');
  });

  it('warns with "no policies" when the role has none', async () => {
    const data = healthy();
    data.iamRoles![0]!.attachedPolicies = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.found).toBe('no policies');
  });

  it('uses the configured policy name', async () => {
    const r = await runOne(check, healthy(), config({ iam: { taskRolePolicy: 'AskEdgi_ECS_Policy_v2' } }));
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.message).toContain('has no policy named AskEdgi_ECS_Policy_v2');
    expect(r.findings[0]!.found).toBe('managed AskEdgi_ECS_Policy');
  });

  it('reports error naming the role when it does not exist', async () => {
    const data = healthy();
    data.iamRoles = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toBe('IAM role AskEdgiEcsTaskRole not found; cannot verify that it has the policy AskEdgi_ECS_Policy.');
    expect(r.findings[0]!.resource).toBe('AskEdgiEcsTaskRole');
  });

  errorsWhenDenied(check, 'iam:GetRole');
});
