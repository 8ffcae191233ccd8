import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/data-task-storage.js';
import { runChecks } from '../../../src/engine/runner.js';
import { FixtureInventory, type FixtureData } from '../../../src/inventory/fixture.js';
import { config, healthy, latestTd, runOne, tdArn } from '../../support/fixture-deployment.js';

const FAMILY = 'edgi-data-service';
const td = (data: FixtureData) => latestTd(data, FAMILY);

describe('data-task-storage', () => {
  it('passes with 200 GiB of ephemeral storage', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toBe('Task definition edgi-data-service:2 allocates 200 GiB of ephemeral storage.');
    expect(r.findings[0]!.resource).toBe(tdArn(FAMILY, 2));
  });

  it('fails when ephemeral storage is not set (the 20 GiB default)', async () => {
    const data = healthy();
    td(data).ephemeralStorageGiB = undefined;
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toContain('Task definition edgi-data-service:2 sets no ephemeral storage');
    expect(f.message).toContain('default of 20 GiB');
    expect(f.expected).toBe('ephemeral storage 21–200 GiB');
    expect(f.found).toBe('not set (20 GiB default)');
  });

  it('fails when ephemeral storage is below the configured minimum', async () => {
    const data = healthy();
    td(data).ephemeralStorageGiB = 50;
    const r = await runOne(check, data, config({ expect: { ephemeralStorage: { min: 100 } } }));
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toBe('Task definition edgi-data-service:2 allocates 50 GiB of ephemeral storage, outside 100–200 GiB.');
    expect(r.findings[0]!.found).toBe('50 GiB');
    expect(r.findings[0]!.expected).toBe('ephemeral storage 100–200 GiB');
  });

  it('fails when ephemeral storage is above the maximum', async () => {
    const data = healthy();
    td(data).ephemeralStorageGiB = 250;
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.found).toBe('250 GiB');
  });

  it('passes at the lower bound 21 GiB', async () => {
    const data = healthy();
    td(data).ephemeralStorageGiB = 21;
    expect((await runOne(check, data)).status).toBe('pass');
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
