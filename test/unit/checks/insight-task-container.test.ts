import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/insight-task-container.js';
import { runChecks } from '../../../src/engine/runner.js';
import { FixtureInventory, type FixtureData } from '../../../src/inventory/fixture.js';
import { config, healthy, latestTd, runOne, tdArn } from '../../support/fixture-deployment.js';

const FAMILY = 'oe_edgi_insights_service';
const td = (data: FixtureData) => latestTd(data, FAMILY);

describe('insight-task-container', () => {
  it('passes with container oe_edgi_insights_service mapping port 8000', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toBe('Task definition oe_edgi_insights_service:1 has container oe_edgi_insights_service with port 8000 mapped.');
    expect(r.findings[0]!.resource).toBe(tdArn(FAMILY, 1));
  });

  it('fails naming the containers found when the container was renamed', async () => {
    const data = healthy();
    td(data).containers[0]!.name = 'renamed';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toBe('Task definition oe_edgi_insights_service:1 has no container named oe_edgi_insights_service.');
    expect(f.expected).toBe('container oe_edgi_insights_service');
    expect(f.found).toBe('containers renamed');
  });

  it('fails when the container maps another port', async () => {
    const data = healthy();
    td(data).containers[0]!.portMappings = [{ containerPort: 9000, protocol: 'tcp' }];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toBe('Container oe_edgi_insights_service of task definition oe_edgi_insights_service:1 has no port mapping for 8000.');
    expect(f.expected).toBe('containerPort 8000');
    expect(f.found).toBe('containerPort 9000');
  });

  it('fails when the container maps no port', async () => {
    const data = healthy();
    td(data).containers[0]!.portMappings = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.found).toBe('no port mappings');
  });

  it('finds the named container among sidecars', async () => {
    const data = healthy();
    const main = td(data).containers[0]!;
    td(data).containers.unshift({ ...main, name: 'log-router', portMappings: [] });
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
  });

  it('uses the container name and port from the config', async () => {
    const r = await runOne(check, healthy(), config({ expect: { insight: { container: 'custom', port: 8080 } } }));
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('has no container named custom');
    const data = healthy();
    td(data).containers[0]!.portMappings = [{ containerPort: 8080 }];
    expect((await runOne(check, data, config({ expect: { insight: { port: 8080 } } }))).status).toBe('pass');
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
