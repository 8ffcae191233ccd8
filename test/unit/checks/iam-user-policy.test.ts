import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/iam-user-policy.js';
import { ACCOUNT, config, healthy, runOne } from '../../support/fixture-deployment.js';
import { errorsWhenDenied } from '../../support/common-cases.js';

const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/edgi_user`;
const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/AskEdgi_policy_Saas`;

describe('iam-user-policy', () => {
  it('passes when edgi_user has AskEdgi_policy_Saas attached', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toBe(`IAM user edgi_user has the managed policy AskEdgi_policy_Saas (${POLICY_ARN}).`);
    expect(r.findings[0]!.resource).toBe(USER_ARN);
  });

  it('passes when the policy reaches the user through an IAM group', async () => {
    const data = healthy();
    data.iamUsers![0]!.attachedPolicies = [];
    data.userGroups = { edgi_user: ['askedgi-users'] };
    data.groupPolicies = { 'askedgi-users': [{ name: 'AskEdgi_policy_Saas', arn: POLICY_ARN }] };
    data.managedPolicies = [{ name: 'AskEdgi_policy_Saas', arn: POLICY_ARN, defaultVersionId: 'v1', versions: { v1: { Version: '2012-10-17', Statement: [] } } }];
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toBe(`IAM user edgi_user has the managed policy AskEdgi_policy_Saas through IAM group askedgi-users (${POLICY_ARN}).`);
  });

  it('passes when the policy is inline on the user under that name', async () => {
    const data = healthy();
    data.iamUsers![0]!.attachedPolicies = [];
    data.inlinePolicies = { ...data.inlinePolicies, 'user:edgi_user': { AskEdgi_policy_Saas: { Version: '2012-10-17', Statement: [] } } };
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toBe('IAM user edgi_user has the inline policy AskEdgi_policy_Saas.');
  });

  it('warns (policy-name-absent), never fails, when no policy has that name: the effective check decides', async () => {
    const data = healthy();
    data.iamUsers![0]!.attachedPolicies = [];
    data.inlinePolicies = { ...data.inlinePolicies, 'user:edgi_user': { 'edgi-s3-sqs': { Version: '2012-10-17', Statement: [] } } };
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    const f = r.findings[0]!;
    expect(f.code).toBe('iam-user-policy/policy-name-absent');
    expect(f.message).toBe(
      'IAM user edgi_user has no policy named AskEdgi_policy_Saas (attached, inline or through a group); the permissions may reach it through the policies it has, which edgi-user-effective-permissions evaluates.',
    );
    expect(f.resource).toBe(USER_ARN);
    expect(f.found).toBe('inline edgi-s3-sqs');
  });

  it('matches on the policy name, not a name that merely contains it', async () => {
    const data = healthy();
    const arn = `arn:aws:iam::${ACCOUNT}:policy/AskEdgi_policy_Saas_old`;
    data.iamUsers![0]!.attachedPolicies = [{ name: 'AskEdgi_policy_Saas_old', arn }];
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.found).toBe('managed AskEdgi_policy_Saas_old');
  });

  it('warns with "no policies" when nothing reaches the user', async () => {
    const data = healthy();
    data.iamUsers![0]!.attachedPolicies = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.found).toBe('no policies');
  });

  it('fails when the user does not exist', async () => {
    const data = healthy();
    data.iamUsers = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.code).toBe('iam-user-policy/principal-missing');
    expect(r.findings[0]!.message).toBe('IAM user edgi_user not found.');
    expect(r.findings[0]!.expected).toBe('an IAM user edgi_user with policy AskEdgi_policy_Saas');
    expect(r.findings[0]!.found).toBe('none');
  });

  it('uses the configured user and policy names', async () => {
    const data = healthy();
    data.iamUsers![0]!.name = 'acme_edgi';
    const cfg = config({ iam: { user: 'acme_edgi', userPolicy: 'AskEdgi_policy_Acme' } });
    const r = await runOne(check, data, cfg);
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.message).toContain('IAM user acme_edgi has no policy named AskEdgi_policy_Acme');
  });

  errorsWhenDenied(check, 'iam:GetUser', { mentions: ['IAM user edgi_user'] });
});
