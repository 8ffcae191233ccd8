import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/task-role-shared.js';
import { config, healthy, latestTd, ROLE_ARN, runOne } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, errorsWithoutRoot, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

const OTHER_ROLE = 'arn:aws:iam::123456789012:role/AskEdgiInsightTaskRole';

describe('task-role-shared', () => {
  it('passes when all four task definitions use the AskEdgi ECS task role', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings.map((f) => f.message)).toEqual([
      `Task definition edgi-data-service:2 uses task role ${ROLE_ARN}.`,
      `Task definition oe_edgi_insights_service:1 uses task role ${ROLE_ARN}.`,
      `Task definition ovaledge-ui:1 uses task role ${ROLE_ARN}.`,
      `Task definition ovaledge-job:1 uses task role ${ROLE_ARN}.`,
    ]);
  });

  it('fails naming the Insight task definition when it uses another role', async () => {
    const data = healthy();
    const td = latestTd(data, 'oe_edgi_insights_service');
    td.taskRoleArn = OTHER_ROLE;
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.filter((f) => f.status === 'fail');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toBe(`Task definition oe_edgi_insights_service:1 uses task role ${OTHER_ROLE}, not AskEdgiEcsTaskRole.`);
    expect(bad[0]!.resource).toBe(td.arn);
    expect(bad[0]!.expected).toBe('task role AskEdgiEcsTaskRole');
    expect(bad[0]!.found).toBe(OTHER_ROLE);
  });

  it('fails when a task definition has no task role', async () => {
    const data = healthy();
    delete latestTd(data, 'ovaledge-job').taskRoleArn;
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toBe('Task definition ovaledge-job:1 has no task role (taskRoleArn).');
    expect(f.expected).toBe('task role AskEdgiEcsTaskRole');
    expect(f.found).toBe('no taskRoleArn');
  });

  it('fails when the roles have the configured name but are not the same role', async () => {
    const data = healthy();
    const other = 'arn:aws:iam::210987654321:role/AskEdgiEcsTaskRole';
    latestTd(data, 'ovaledge-ui').taskRoleArn = other;
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toBe('Task definitions use 2 different roles named AskEdgiEcsTaskRole, not one shared role.');
    expect(f.expected).toBe('one role ARN for AskEdgiEcsTaskRole');
    expect(f.found).toBe(`${ROLE_ARN} (edgi-data-service:2, oe_edgi_insights_service:1, ovaledge-job:1); ${other} (ovaledge-ui:1)`);
  });

  it('matches the role name after a path', async () => {
    const data = healthy();
    for (const td of data.taskDefinitions!) td.taskRoleArn = 'arn:aws:iam::123456789012:role/service/AskEdgiEcsTaskRole';
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
  });

  it('fails every task definition when the configured role is another one', async () => {
    const r = await runOne(check, healthy(), config({ iam: { taskRole: 'AcmeEdgiRole' } }));
    expect(r.status).toBe('fail');
    expect(r.findings.filter((f) => f.status === 'fail')).toHaveLength(4);
  });

  it('reports error for the UI when its task definition is missing, and checks the others', async () => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== 'ovaledge-ui');
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    const e = r.findings.find((f) => f.status === 'error')!;
    expect(e.message).toBe('UI task definition family ovaledge-ui not found; cannot read its task role.');
    expect(e.resource).toBe('ovaledge-ui');
    expect(r.findings.filter((f) => f.status === 'pass')).toHaveLength(3);
  });

  skipsWhenRootFails(check, ROOTS.dataFamilyMissing);

  skipsWhenRootFails(check, ROOTS.insightFamilyMissing);

  errorsWhenDenied(check, 'ecs:DescribeTaskDefinition', { alone: true });

  errorsWithoutRoot(check, {
    what: 'for the Data place',
    breakRoot: ROOTS.dataFamilyMissing.breakRoot,
    message: 'Data task definition family edgi-data-service has no ACTIVE revision (no revision).',
    exact: true,
  });
});
