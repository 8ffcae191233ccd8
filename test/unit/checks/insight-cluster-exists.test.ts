import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/insight-cluster-exists.js';
import { CLUSTER_ARN, healthy, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

const INSIGHT = 'oe_edgi_insights_service';

describe('insight-cluster-exists', () => {
  it('passes when CLUSTER_NAME names the ACTIVE deployment cluster', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toBe(`Task definition ${INSIGHT}:1 sets CLUSTER_NAME=acme, the ACTIVE ECS cluster ${CLUSTER_ARN}.`);
  });

  it('passes when CLUSTER_NAME is the cluster ARN', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'CLUSTER_NAME', CLUSTER_ARN);
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
  });

  it('fails when CLUSTER_NAME names a cluster that does not exist', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'CLUSTER_NAME', 'other');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toBe(`Task definition ${INSIGHT}:1 sets CLUSTER_NAME=other, but ECS cluster other does not exist; Data tasks cannot start there.`);
    expect(f.expected).toBe('acme (ACTIVE)');
    expect(f.found).toBe('other (not found)');
  });

  it('fails when the named cluster is INACTIVE', async () => {
    const data = healthy();
    data.clusters![0]!.status = 'INACTIVE';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('ECS cluster acme is INACTIVE');
    expect(r.findings[0]!.found).toBe('acme (INACTIVE)');
  });

  it('fails when CLUSTER_NAME names another ACTIVE cluster', async () => {
    const data = healthy();
    data.clusters!.push({ arn: CLUSTER_ARN.replace('/acme', '/other'), name: 'other', status: 'ACTIVE' });
    setEnv(data, INSIGHT, 'CLUSTER_NAME', 'other');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toContain('an ACTIVE cluster but not acme where this deployment runs');
    expect(f.expected).toBe('acme');
    expect(f.found).toBe('other');
  });

  it('fails when CLUSTER_NAME is still the runbook placeholder', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'CLUSTER_NAME', '<ECS cluster name>');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('still the runbook placeholder');
  });

  it('fails when CLUSTER_NAME is not set', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'CLUSTER_NAME', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('has no CLUSTER_NAME');
    expect(r.findings[0]!.expected).toBe('acme');
    expect(r.findings[0]!.found).toBe('not set');
  });

  skipsWhenRootFails(check, ROOTS.insightFamilyMissing);

  errorsWhenDenied(check, 'ecs:DescribeClusters');

  errorsWhenDenied(check, 'ecs:DescribeTaskDefinition', { alone: true });
});
