import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/data-task-size.js';
import { runChecks } from '../../../src/engine/runner.js';
import { FixtureInventory, type FixtureData } from '../../../src/inventory/fixture.js';
import { isFargatePair } from '../../../src/checks/support/task-shape.js';
import { config, healthy, latestTd, runOne, tdArn } from '../../support/fixture-deployment.js';

const FAMILY = 'edgi-data-service';
const td = (data: FixtureData) => latestTd(data, FAMILY);

describe('data-task-size', () => {
  it('passes with the runbook size, a valid Fargate pair', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toBe('Task definition edgi-data-service:2 has 512 CPU units (0.5 vCPU), 2048 MiB (2 GB), a valid Fargate size.');
    expect(r.findings[0]!.resource).toBe(tdArn(FAMILY, 2));
  });

  it('fails twice for cpu 1024 / memory 1024: not the runbook size, and not a Fargate pair', async () => {
    const data = healthy();
    Object.assign(td(data), { cpu: '1024', memory: '1024' });
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const [size, pair] = r.findings;
    expect(r.findings).toHaveLength(2);
    expect(size!.message).toBe("Task definition edgi-data-service:2 has 1024 CPU units (1 vCPU), 1024 MiB (1 GB); the runbook's Data task size is 0.5 vCPU / 2 GB.");
    expect(size!.expected).toBe('512 CPU units (0.5 vCPU), 2048 MiB (2 GB)');
    expect(size!.found).toBe('1024 CPU units (1 vCPU), 1024 MiB (1 GB)');
    expect(pair!.message).toContain('1 vCPU with 1 GB is not a valid Fargate task size');
    expect(pair!.expected).toBe('1 vCPU with 2 GB–8 GB in 1 GB steps');
    expect(pair!.found).toBe('1024 CPU units (1 vCPU), 1024 MiB (1 GB)');
  });

  it('fails only on the Fargate pair when the config itself asks for an invalid size', async () => {
    const data = healthy();
    Object.assign(td(data), { cpu: '512', memory: '8192' });
    const r = await runOne(check, data, config({ expect: { data: { cpu: '512', memory: '8192' } } }));
    expect(r.status).toBe('fail');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toContain('0.5 vCPU with 8 GB is not a valid Fargate task size');
    expect(r.findings[0]!.expected).toBe('0.5 vCPU with 1 GB–4 GB in 1 GB steps');
  });

  it('does not apply Fargate sizes to a task definition that does not require FARGATE', async () => {
    const data = healthy();
    Object.assign(td(data), { cpu: '512', memory: '8192', requiresCompatibilities: ['EC2'] });
    const r = await runOne(check, data, config({ expect: { data: { cpu: '512', memory: '8192' } } }));
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).not.toContain('Fargate');
  });

  it('fails when cpu and memory are not set on a Fargate task definition', async () => {
    const data = healthy();
    Object.assign(td(data), { cpu: undefined, memory: undefined });
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings.map((f) => f.message)).toContain('Task definition edgi-data-service:2 requires FARGATE but sets no task-level cpu and memory.');
    expect(r.findings[0]!.found).toBe('cpu not set, memory not set');
  });

  it('reads the console forms "0.5 vCPU" and "2 GB"', async () => {
    const data = healthy();
    Object.assign(td(data), { cpu: '0.5 vCPU', memory: '2 GB' });
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
  });

  it('knows the Fargate table', () => {
    expect(isFargatePair(256, 512)).toBe(true);
    expect(isFargatePair(256, 3072)).toBe(false);
    expect(isFargatePair(512, 1024)).toBe(true);
    expect(isFargatePair(512, 4096)).toBe(true);
    expect(isFargatePair(512, 5120)).toBe(false);
    expect(isFargatePair(512, 1536)).toBe(false);
    expect(isFargatePair(1024, 1024)).toBe(false);
    expect(isFargatePair(1024, 8192)).toBe(true);
    expect(isFargatePair(2048, 16384)).toBe(true);
    expect(isFargatePair(4096, 30720)).toBe(true);
    expect(isFargatePair(4096, 31744)).toBe(false);
    expect(isFargatePair(8192, 20480)).toBe(true);
    expect(isFargatePair(8192, 17408)).toBe(false);
    expect(isFargatePair(768, 2048)).toBe(false);
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
