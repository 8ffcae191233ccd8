import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/data-task-definition.js';
import { FixtureInventory } from '../../../src/inventory/fixture.js';
import { config, healthy, runOne, tdArn } from '../../support/fixture-deployment.js';

const FAMILY = 'edgi-data-service';

describe('data-task-definition', () => {
  it('passes naming the latest ACTIVE revision and its ARN', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toBe(`Data task definition ${FAMILY}:2 is the latest ACTIVE revision (${tdArn(FAMILY, 2)}).`);
    expect(r.findings[0]!.resource).toBe(tdArn(FAMILY, 2));
  });

  it('fails when the family has no revision at all', async () => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== FAMILY);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toBe(`Data task definition family ${FAMILY} has no ACTIVE revision (no revision).`);
    expect(f.resource).toBe(FAMILY);
    expect(f.expected).toBe('an ACTIVE revision');
    expect(f.found).toBe('no revision');
  });

  it('fails when every revision was deregistered (INACTIVE)', async () => {
    const data = healthy();
    for (const t of data.taskDefinitions!) if (t.family === FAMILY) t.status = 'INACTIVE';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain(`family ${FAMILY} has no ACTIVE revision`);
  });

  it('fails when the inventory hands back an INACTIVE latest revision (as moto does for a family)', async () => {
    const data = healthy();
    for (const t of data.taskDefinitions!) if (t.family === FAMILY) t.status = 'INACTIVE';
    const inv = new FixtureInventory(data);
    // moto answers DescribeTaskDefinition(family) with the last revision even when it is INACTIVE.
    inv.taskDefinition = (name: string) => Promise.resolve(data.taskDefinitions!.find((t) => t.family === name && t.revision === 2));
    const findings = await check.run(inv, config());
    expect(findings).toHaveLength(1);
    expect(findings[0]!.status).toBe('fail');
    expect(findings[0]!.message).toContain(`latest revision ${FAMILY}:2 is INACTIVE`);
    expect(findings[0]!.resource).toBe(tdArn(FAMILY, 2));
    expect(findings[0]!.found).toBe(`latest revision ${FAMILY}:2 is INACTIVE`);
  });

  it('reads the family named in the config', async () => {
    const r = await runOne(check, healthy(), config({ taskDefinitions: { data: 'acme-data' } }));
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('family acme-data has no ACTIVE revision');
  });

  it('reports error naming ecs:DescribeTaskDefinition when it is denied', async () => {
    const r = await runOne(check, { ...healthy(), denied: ['ecs:DescribeTaskDefinition'] });
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain('the caller lacks permission ecs:DescribeTaskDefinition');
  });
});
