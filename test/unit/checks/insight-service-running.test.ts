import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/insight-service-running.js';
import { healthy, runOne, tdArn } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

const SERVICE = 'oe-edgi-insights-service';
const FAMILY = 'oe_edgi_insights_service';

const insightService = (data: ReturnType<typeof healthy>) => data.services!.find((s) => s.name === SERVICE)!;

/** A newer identical Insight revision that the service does not run. */
function addRevision(data: ReturnType<typeof healthy>, revision: number) {
  const td = data.taskDefinitions!.find((t) => t.family === FAMILY)!;
  data.taskDefinitions!.push({ ...td, revision, arn: tdArn(FAMILY, revision) });
}

describe('insight-service-running', () => {
  it('passes for the healthy deployment, naming the revision and the rollout state', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toContain(`ECS service ${SERVICE} is ACTIVE and runs 1 of 1 tasks on ${FAMILY}:1`);
    expect(r.findings[0]!.message).toContain('rollout COMPLETED');
  });

  it('passes and says so when the rollout state is not reported', async () => {
    const data = healthy();
    delete insightService(data).deployments[0]!.rolloutState;
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toContain('rollout state not reported');
  });

  it('fails when the desired count is 0', async () => {
    const data = healthy();
    Object.assign(insightService(data), { desiredCount: 0, runningCount: 0 });
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toContain(`${SERVICE} has a desired count of 0`);
    expect(f.expected).toBe('desiredCount of at least 1');
    expect(f.found).toBe('desiredCount 0');
  });

  it('fails when fewer tasks run than desired', async () => {
    const data = healthy();
    Object.assign(insightService(data), { desiredCount: 2, runningCount: 1 });
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toContain('runs 1 of 2 desired tasks');
    expect(f.expected).toBe('2 running tasks');
    expect(f.found).toBe('1 running');
  });

  it('fails when a newer revision exists than the one the service runs', async () => {
    const data = healthy();
    addRevision(data, 2);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.filter((x) => x.status === 'fail');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toContain(`ECS service ${SERVICE} runs ${FAMILY}:1, not the latest ACTIVE revision ${FAMILY}:2`);
    expect(bad[0]!.expected).toBe(tdArn(FAMILY, 2));
    expect(bad[0]!.found).toBe(tdArn(FAMILY, 1));
  });

  it('fails when the PRIMARY deployment runs an older revision than the service', async () => {
    const data = healthy();
    addRevision(data, 2);
    insightService(data).taskDefinition = tdArn(FAMILY, 2);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toContain('PRIMARY deployment');
    expect(f.message).toContain(`runs ${FAMILY}:1, not the latest ACTIVE revision ${FAMILY}:2`);
    expect(f.expected).toBe(tdArn(FAMILY, 2));
  });

  it('warns while the rollout is IN_PROGRESS', async () => {
    const data = healthy();
    insightService(data).deployments[0]!.rolloutState = 'IN_PROGRESS';
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    const w = r.findings.find((x) => x.status === 'warn')!;
    expect(w.message).toContain('still IN_PROGRESS');
    expect(w.expected).toBe('rolloutState COMPLETED');
    expect(w.found).toBe('IN_PROGRESS');
  });

  it('fails when the rollout FAILED', async () => {
    const data = healthy();
    insightService(data).deployments[0]!.rolloutState = 'FAILED';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings.find((x) => x.status === 'fail')!.found).toBe('FAILED');
  });

  it('fails when the service is DRAINING', async () => {
    const data = healthy();
    insightService(data).status = 'DRAINING';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toContain('is DRAINING, not ACTIVE');
    expect(f.found).toBe('DRAINING');
  });

  skipsWhenRootFails(check, ROOTS.insightServiceRemoved);

  skipsWhenRootFails(check, { ...ROOTS.insightFamilyMissing, when: 'the Insight family has no revision' });

  // The root check errors first; run alone, this check reports the missing permission itself.
  errorsWhenDenied(check, 'ecs:DescribeServices', { alone: true, skipsWithRoots: true });
});
