import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/iam-user-policy.js';
import { ACCOUNT, config, healthy, runOne } from '../../support/fixture-deployment.js';
import { errorsWhenDenied } from '../../support/common-cases.js';

const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/edgi_user`;

describe('iam-user-policy', () => {
  it('passes when edgi_user has AskEdgi_policy_Saas attached', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toBe(`IAM user edgi_user has the managed policy AskEdgi_policy_Saas attached (arn:aws:iam::${ACCOUNT}:policy/AskEdgi_policy_Saas).`);
    expect(r.findings[0]!.resource).toBe(USER_ARN);
  });

  it('fails naming the policy when it is not attached, listing what is', async () => {
    const data = healthy();
    data.iamUsers![0]!.attachedPolicies = [{ name: 'ReadOnlyAccess', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toBe('IAM user edgi_user does not have the managed policy AskEdgi_policy_Saas attached.');
    expect(r.findings[0]!.resource).toBe(USER_ARN);
    expect(r.findings[0]!.expected).toBe('managed policy AskEdgi_policy_Saas attached');
    expect(r.findings[0]!.found).toBe('attached: ReadOnlyAccess');
  });

  it('fails when the user has no managed policies at all', async () => {
    const data = healthy();
    data.iamUsers![0]!.attachedPolicies = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.found).toBe('no managed policies attached');
  });

  it('matches on the policy name, not a name that merely contains it', async () => {
    const data = healthy();
    data.iamUsers![0]!.attachedPolicies = [{ name: 'AskEdgi_policy_Saas_old', arn: `arn:aws:iam::${ACCOUNT}:policy/AskEdgi_policy_Saas_old` }];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.found).toBe('attached: AskEdgi_policy_Saas_old');
  });

  it('fails when the user does not exist', async () => {
    const data = healthy();
    data.iamUsers = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toBe('IAM user edgi_user not found.');
    expect(r.findings[0]!.expected).toBe('an IAM user edgi_user with policy AskEdgi_policy_Saas');
    expect(r.findings[0]!.found).toBe('none');
  });

  it('uses the configured user and policy names', async () => {
    const data = healthy();
    data.iamUsers![0]!.name = 'acme_edgi';
    const cfg = config({ iam: { user: 'acme_edgi', userPolicy: 'AskEdgi_policy_Acme' } });
    const r = await runOne(check, data, cfg);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('IAM user acme_edgi does not have the managed policy AskEdgi_policy_Acme attached');
  });

  errorsWhenDenied(check, 'iam:GetUser', { mentions: ['IAM user edgi_user'] });
});
