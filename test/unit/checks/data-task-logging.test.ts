import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/data-task-logging.js';
import { runChecks } from '../../../src/engine/runner.js';
import { FixtureInventory, type FixtureData } from '../../../src/inventory/fixture.js';
import { REGION } from '../../support/fixture-deployment.js';
import { config, healthy, latestTd, runOne, tdArn } from '../../support/fixture-deployment.js';

const FAMILY = 'edgi-data-service';
const GROUP = '/ecs/edgi-data-service';
const td = (data: FixtureData) => latestTd(data, FAMILY);
const log = (data: FixtureData) => td(data).containers[0]!.logConfiguration!;

describe('data-task-logging', () => {
  it('passes with awslogs to an existing group in the deployment region', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toBe(`Container edgi-data-service of task definition edgi-data-service:2 logs to CloudWatch log group ${GROUP} in ${REGION}.`);
    expect(r.findings[0]!.resource).toBe(tdArn(FAMILY, 2));
  });

  it('fails when the log group does not exist', async () => {
    const data = healthy();
    data.logGroups = data.logGroups!.filter((g) => g !== GROUP);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toBe(`Log group ${GROUP} used by container edgi-data-service of task definition edgi-data-service:2 does not exist; tasks fail to start without it.`);
    expect(f.resource).toBe(GROUP);
    expect(f.expected).toBe(`log group ${GROUP} exists`);
    expect(f.found).toBe('no such log group');
  });

  it('warns when the group is missing but awslogs-create-group is true', async () => {
    const data = healthy();
    data.logGroups = data.logGroups!.filter((g) => g !== GROUP);
    log(data).options['awslogs-create-group'] = 'true';
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.message).toContain('logs:CreateLogGroup');
    expect(r.findings[0]!.expected).toBe(`log group ${GROUP} exists`);
    expect(r.findings[0]!.found).toBe('no such log group');
  });

  it('fails when the container has no log configuration', async () => {
    const data = healthy();
    td(data).containers[0]!.logConfiguration = undefined;
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toBe('Container edgi-data-service of task definition edgi-data-service:2 has no log configuration; CloudWatch Logs are not enabled.');
    expect(r.findings[0]!.expected).toBe('logDriver awslogs');
    expect(r.findings[0]!.found).toBe('no logConfiguration');
  });

  it('fails for another log driver', async () => {
    const data = healthy();
    td(data).containers[0]!.logConfiguration = { logDriver: 'awsfirelens', options: {} };
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('logs with the awsfirelens driver, not awslogs');
    expect(r.findings[0]!.found).toBe('logDriver awsfirelens');
  });

  it('fails when awslogs-group and awslogs-region are not set', async () => {
    const data = healthy();
    log(data).options = { 'awslogs-stream-prefix': 'ecs' };
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const messages = r.findings.map((f) => f.message);
    expect(messages).toContain('Container edgi-data-service of task definition edgi-data-service:2 sets no awslogs-region.');
    expect(messages).toContain('Container edgi-data-service of task definition edgi-data-service:2 sets no awslogs-group.');
    expect(r.findings.every((f) => f.found === 'not set')).toBe(true);
  });

  it('fails when awslogs-region is another region', async () => {
    const data = healthy();
    log(data).options['awslogs-region'] = 'eu-west-1';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain(`sends logs to region eu-west-1, not the deployment region ${REGION}`);
    expect(r.findings[0]!.expected).toBe(`awslogs-region ${REGION}`);
    expect(r.findings[0]!.found).toBe('awslogs-region eu-west-1');
  });

  it('reports error naming logs:DescribeLogGroups when it is denied', async () => {
    const r = await runOne(check, { ...healthy(), denied: ['logs:DescribeLogGroups'] });
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain('the caller lacks permission logs:DescribeLogGroups');
  });

  it('skips because data-task-definition failed when the family has no ACTIVE revision', async () => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== FAMILY);
    const r = await runOne(check, data);
    expect(r.status).toBe('skip');
    expect(r.findings[0]!.message).toBe('Not run because data-task-definition failed.');
  });

  it('reports error naming the family when run without its root and the family is missing', async () => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== FAMILY);
    const [r] = await runChecks([check], new FixtureInventory(data), config());
    expect(r!.status).toBe('error');
    expect(r!.findings[0]!.message).toContain(`Data task definition family ${FAMILY} has no ACTIVE revision`);
  });

  it('reports error naming ecs:DescribeTaskDefinition when it is denied', async () => {
    const [r] = await runChecks([check], new FixtureInventory({ ...healthy(), denied: ['ecs:DescribeTaskDefinition'] }), config());
    expect(r!.status).toBe('error');
    expect(r!.findings[0]!.message).toContain('the caller lacks permission ecs:DescribeTaskDefinition');
  });
});
