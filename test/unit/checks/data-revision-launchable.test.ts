import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/data-revision-launchable.js';
import { healthy, IDS, latestTd, runOne, setEnv } from '../../support/fixture-deployment.js';
import { ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

const INSIGHT = 'oe_edgi_insights_service';
const DATA = 'edgi-data-service';

describe('data-revision-launchable', () => {
  it('passes naming the pinned revision, the subnets and the security groups Insight launches with', async () => {
    const data = healthy();
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    const td = latestTd(data, DATA);
    expect(r.findings[0]!.message).toBe(
      `Data task definition ${DATA}:${td.revision} (TASK_DEFINITION=${td.arn} on ${INSIGHT}:1) is launchable as the Insight service launches it: ACTIVE, FARGATE, awsvpc in subnets ${IDS.subnetA}, ${IDS.subnetB} with security groups ${IDS.edgiSg} (VPC ${IDS.vpc}).`,
    );
  });

  it('fails (not-fargate, not-awsvpc) when the pinned revision is registered EC2-only with bridge networking', async () => {
    const data = healthy();
    const td = latestTd(data, DATA);
    td.requiresCompatibilities = ['EC2'];
    td.networkMode = 'bridge';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings.map((f) => f.code)).toEqual(['data-revision-launchable/not-fargate', 'data-revision-launchable/not-awsvpc']);
    expect(r.findings[0]!.message).toBe(
      `Data task definition ${DATA}:${td.revision} (TASK_DEFINITION=${td.arn} on ${INSIGHT}:1) is not registered for Fargate (EC2); ECS rejects the Fargate Data tasks the Insight service launches.`,
    );
    expect(r.findings[1]!.found).toBe('networkMode bridge');
    expect(r.findings[1]!.resource).toBe(td.arn);
  });

  it('fails (revision-missing) when TASK_DEFINITION names a revision that does not exist', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'TASK_DEFINITION', `${DATA}:99`);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.code).toBe('data-revision-launchable/revision-missing');
    expect(r.findings[0]!.message).toBe(`The Data task definition ${DATA}:99 (TASK_DEFINITION=${DATA}:99 on ${INSIGHT}:1) does not exist; the Insight service cannot launch Data tasks from it.`);
  });

  it('fails (revision-inactive) when the pinned revision was deregistered', async () => {
    const data = healthy();
    const td = latestTd(data, DATA);
    data.taskDefinitions!.push({ ...td, revision: td.revision + 1, arn: td.arn.replace(/:\d+$/, `:${td.revision + 1}`) });
    td.status = 'INACTIVE';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.code).toBe('data-revision-launchable/revision-inactive');
    expect(r.findings[0]!.found).toBe('INACTIVE');
  });

  it('reports error when TASK_DEFINITION is not set (insight-pins-latest-data fails on it)', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'TASK_DEFINITION', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toBe(`Task definition ${INSIGHT}:1 has no TASK_DEFINITION; the Insight service cannot start Data tasks.`);
  });

  skipsWhenRootFails(check, ROOTS.insightFamilyMissing);
});
