import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/insight-task-size.js';
import { runChecks } from '../../../src/engine/runner.js';
import { FixtureInventory, type FixtureData } from '../../../src/inventory/fixture.js';
import { config, healthy, latestTd, runOne, tdArn } from '../../support/fixture-deployment.js';

const FAMILY = 'oe_edgi_insights_service';
const td = (data: FixtureData) => latestTd(data, FAMILY);

describe('insight-task-size', () => {
  it('passes with the runbook size, a valid Fargate pair', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toBe('Task definition oe_edgi_insights_service:1 has 1024 CPU units (1 vCPU), 2048 MiB (2 GB), a valid Fargate size.');
    expect(r.findings[0]!.resource).toBe(tdArn(FAMILY, 1));
  });

  it('fails for memory 4096: a valid Fargate pair, but not the runbook size', async () => {
    const data = healthy();
    td(data).memory = '4096';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0]!;
    expect(f.message).toBe("Task definition oe_edgi_insights_service:1 has 1024 CPU units (1 vCPU), 4096 MiB (4 GB); the runbook's Insight task size is 1 vCPU / 2 GB.");
    expect(f.expected).toBe('1024 CPU units (1 vCPU), 2048 MiB (2 GB)');
    expect(f.found).toBe('1024 CPU units (1 vCPU), 4096 MiB (4 GB)');
  });

  it('fails for cpu 4096 with 2 GB: wrong size and below the Fargate minimum', async () => {
    const data = healthy();
    td(data).cpu = '4096';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings).toHaveLength(2);
    expect(r.findings[1]!.message).toContain('4 vCPU with 2 GB is not a valid Fargate task size');
    expect(r.findings[1]!.expected).toBe('4 vCPU with 8 GB–30 GB in 1 GB steps');
  });

  it('fails for a cpu value Fargate does not offer', async () => {
    const data = healthy();
    td(data).cpu = '1000';
    const r = await runOne(check, data, config({ expect: { insight: { cpu: '1000' } } }));
    expect(r.status).toBe('fail');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.expected).toBe('cpu one of 256, 512, 1024, 2048, 4096, 8192, 16384');
  });

  it('compares with the size in the config', async () => {
    const r = await runOne(check, healthy(), config({ expect: { insight: { cpu: '2048', memory: '4096' } } }));
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.expected).toBe('2048 CPU units (2 vCPU), 4096 MiB (4 GB)');
  });

  it('skips because insight-task-definition failed when the family has no ACTIVE revision', async () => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== FAMILY);
    const r = await runOne(check, data);
    expect(r.status).toBe('skip');
    expect(r.findings[0]!.message).toBe('Not run because insight-task-definition failed.');
  });

  it('reports error naming the family when run without its root and the family is missing', async () => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== FAMILY);
    const [r] = await runChecks([check], new FixtureInventory(data), config());
    expect(r!.status).toBe('error');
    expect(r!.findings[0]!.message).toContain(`Insight task definition family ${FAMILY} has no ACTIVE revision`);
  });

  it('reports error naming ecs:DescribeTaskDefinition when it is denied', async () => {
    const [r] = await runChecks([check], new FixtureInventory({ ...healthy(), denied: ['ecs:DescribeTaskDefinition'] }), config());
    expect(r!.status).toBe('error');
    expect(r!.findings[0]!.message).toContain('the caller lacks permission ecs:DescribeTaskDefinition');
  });
});
