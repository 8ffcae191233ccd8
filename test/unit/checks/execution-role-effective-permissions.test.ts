import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/execution-role-effective-permissions.js';
import { ACCOUNT, latestTd, REGION, runOne } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, FAMILIES, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';
import { EXEC_ROLE, EXEC_ROLE_ARN, healthyEffective } from '../../support/effective-fixture.js';

const label = `IAM role ${EXEC_ROLE} (execution role of edgi-data-service:2, oe_edgi_insights_service:1, ovaledge-ui:1, ovaledge-job:1)`;
const SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:acme/edgi-user`;

describe('execution-role-effective-permissions', () => {
  it('passes when the managed execution policy and the inline secrets policy cover images, logs and secrets', async () => {
    const r = await runOne(check, healthyEffective());
    expect(r.findings).toEqual([
      {
        status: 'pass',
        // GetAuthorizationToken, 4 log groups × 2, the edgi-user secret: no image is in ECR.
        message: `${label} may perform all 10 required action-resource pairs; decided by the doctor's own evaluation (iam:SimulatePrincipalPolicy was unavailable) of managed policy AmazonECSTaskExecutionRolePolicy (v1), inline policy AskEdgiExecutionSecrets.`,
        resource: EXEC_ROLE_ARN,
      },
    ]);
  });

  it('fails when the execution role may not read a secrets valueFrom (JSON key stripped to the secret ARN)', async () => {
    const data = healthyEffective();
    data.inlinePolicies![`role:${EXEC_ROLE}`] = {};
    const r = await runOne(check, data);
    expect(r.findings).toEqual([
      {
        status: 'fail',
        code: 'execution-role-effective-permissions/not-allowed',
        fingerprint: `execution-role-effective-permissions/not-allowed@${EXEC_ROLE_ARN}`,
        message: `${label} may not secretsmanager:GetSecretValue on ${SECRET}: no policy allows it; ECS resolves secrets[].valueFrom at task start [own evaluation].`,
        resource: EXEC_ROLE_ARN,
        expected: `secretsmanager:GetSecretValue allowed on ${SECRET}`,
        found: 'managed policy AmazonECSTaskExecutionRolePolicy (v1)',
      },
    ]);
  });

  describe('a secret named by its partial ARN (no 6-character suffix), as CDK writes it', () => {
    // Secrets Manager resolves the partial ARN; IAM authorizes GetSecretValue against the full one.
    const FULL = `${SECRET}-AbC123`;
    const partialArn = (resource: string) => {
      const data = healthyEffective();
      data.secrets!.find((s) => s.arn === SECRET)!.arn = FULL;
      data.inlinePolicies![`role:${EXEC_ROLE}`] = {
        AskEdgiExecutionSecrets: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: resource }] },
      };
      return data;
    };

    it('passes when the policy allows <name>-?????? (the full ARN)', async () => {
      const r = await runOne(check, partialArn(`${SECRET}-??????`));
      expect(r.findings.map((f) => f.status)).toEqual(['pass']);
    });

    it('fails when the policy allows only the partial ARN itself, which matches no real secret ARN', async () => {
      const r = await runOne(check, partialArn(SECRET));
      expect(r.findings.map((f) => [f.status, f.message])).toEqual([
        ['fail', `${label} may not secretsmanager:GetSecretValue on ${FULL}: no policy allows it; ECS resolves secrets[].valueFrom at task start [own evaluation].`],
      ]);
    });
  });

  it('requires ssm:GetParameters for an SSM parameter and ECR pulls for an ECR image', async () => {
    const data = healthyEffective();
    const ui = latestTd(data, FAMILIES.ui).containers[0]!;
    ui.secrets.push({ name: 'OPENAI_KEY', valueFrom: '/acme/openai' });
    ui.image = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/ovaledge/ui:7.1`;
    const r = await runOne(check, data);
    expect(r.findings.map((f) => f.message)).toEqual([
      `${label} may not ssm:GetParameters on arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/acme/openai: no policy allows it; ECS resolves secrets[].valueFrom at task start [own evaluation].`,
    ]);
  });

  it('fails when a task definition that reads secrets has no execution role', async () => {
    const data = healthyEffective();
    delete latestTd(data, FAMILIES.job).executionRoleArn;
    const r = await runOne(check, data);
    expect(r.findings[0]).toEqual({
      status: 'fail',
      code: 'execution-role-effective-permissions/no-execution-role',
      fingerprint: `execution-role-effective-permissions/no-execution-role@arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/ovaledge-job:1`,
      message: 'Task definition ovaledge-job:1 has no execution role, but ECS needs one because it sends logs with awslogs, reads secrets[].valueFrom.',
      resource: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/ovaledge-job:1`,
      expected: 'an execution role',
      found: 'none',
    });
  });

  skipsWhenRootFails(check, { ...ROOTS.dataFamilyMissing, base: healthyEffective });
  errorsWhenDenied(check, 'iam:GetRolePolicy', { base: healthyEffective });
});
