import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/task-role-trust.js';
import type { FixtureData } from '../../../src/inventory/fixture.js';
import type { PolicyStatement } from '../../../src/inventory/types.js';
import { config, healthy, ROLE_ARN, runOne } from '../../support/fixture-deployment.js';
import { errorsWhenDenied } from '../../support/common-cases.js';

function withTrust(statement: PolicyStatement | PolicyStatement[] | undefined): FixtureData {
  const data = healthy();
  data.iamRoles![0]!.trustPolicy = { Version: '2012-10-17', Statement: statement };
  return data;
}

const ECS = { Service: 'ecs-tasks.amazonaws.com' };

describe('task-role-trust', () => {
  it('passes when the role trusts ecs-tasks.amazonaws.com with sts:AssumeRole', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toBe('IAM role AskEdgiEcsTaskRole trusts ecs-tasks.amazonaws.com with sts:AssumeRole.');
    expect(r.findings[0]!.resource).toBe(ROLE_ARN);
  });

  it.each([
    ['a single statement object with a Service array', { Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com', 'ecs-tasks.amazonaws.com'] }, Action: 'sts:AssumeRole' }],
    ['an Action array with conditions', [{ Effect: 'Allow', Principal: ECS, Action: ['sts:TagSession', 'sts:AssumeRole'], Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }]],
    ['sts:*', [{ Effect: 'Allow', Principal: ECS, Action: 'sts:*' }]],
    ['*', [{ Effect: 'Allow', Principal: ECS, Action: '*' }]],
    ['a lower-case action name', [{ Effect: 'Allow', Principal: ECS, Action: 'sts:assumerole' }]],
  ] as const)('passes with %s', async (_label, statement) => {
    const r = await runOne(check, withTrust(statement as PolicyStatement | PolicyStatement[]));
    expect(r.status).toBe('pass');
  });

  it('fails when the role trusts ec2.amazonaws.com instead', async () => {
    const r = await runOne(check, withTrust([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]));
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toBe('IAM role AskEdgiEcsTaskRole does not trust ecs-tasks.amazonaws.com with sts:AssumeRole.');
    expect(f.resource).toBe(ROLE_ARN);
    expect(f.expected).toBe('Allow Service ecs-tasks.amazonaws.com sts:AssumeRole');
    expect(f.found).toBe('Allow Service ec2.amazonaws.com (sts:AssumeRole)');
  });

  it('fails when ecs-tasks may only tag sessions, not assume the role', async () => {
    const r = await runOne(check, withTrust([{ Effect: 'Allow', Principal: ECS, Action: 'sts:TagSession' }]));
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.found).toBe('Allow Service ecs-tasks.amazonaws.com (sts:TagSession)');
  });

  it('fails when a Deny statement overrides the Allow', async () => {
    const r = await runOne(check, withTrust([
      { Effect: 'Allow', Principal: ECS, Action: 'sts:AssumeRole' },
      { Effect: 'Deny', Principal: ECS, Action: 'sts:*' },
    ]));
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toBe('IAM role AskEdgiEcsTaskRole trust policy denies ecs-tasks.amazonaws.com sts:AssumeRole.');
    expect(r.findings[0]!.found).toBe('Deny Service ecs-tasks.amazonaws.com (sts:*)');
  });

  it('fails when the principal is an AWS account, not the ECS tasks service', async () => {
    const r = await runOne(check, withTrust([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }]));
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.found).toBe('Allow AWS arn:aws:iam::123456789012:root (sts:AssumeRole)');
  });

  it('fails when the trust policy has no statements (or could not be parsed)', async () => {
    const data = healthy();
    data.iamRoles![0]!.trustPolicy = {};
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.found).toBe('a trust policy with no statements');
  });

  it('fails when the role does not exist', async () => {
    const data = healthy();
    data.iamRoles = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toBe('IAM role AskEdgiEcsTaskRole not found.');
    expect(r.findings[0]!.expected).toBe('a role AskEdgiEcsTaskRole trusted by ecs-tasks.amazonaws.com');
    expect(r.findings[0]!.found).toBe('none');
  });

  it('reads the configured role', async () => {
    const r = await runOne(check, healthy(), config({ iam: { taskRole: 'OtherRole' } }));
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toBe('IAM role OtherRole not found.');
  });

  errorsWhenDenied(check, 'iam:GetRole', { mentions: ['IAM role AskEdgiEcsTaskRole'] });
});
