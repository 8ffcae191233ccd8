import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/region-agreement.js';
import { config, healthy, REGION, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied } from '../../support/common-cases.js';

const CANARY = 'canary-secret-value';

describe('region-agreement', () => {
  it('passes when all four task definitions carry the deployment region', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(4);
    expect(r.findings.every((f) => f.status === 'pass')).toBe(true);
    const text = r.findings.map((f) => f.message).join('\n');
    expect(text).toContain(`edgi-data-service:2 sets AWS_REGION=${REGION}`);
    expect(text).toContain(`oe_edgi_insights_service:1 sets AWS_REGION=${REGION}`);
    expect(text).toContain(`ovaledge-ui:1 sets EDGI_AWS_REGION=${REGION}`);
    expect(text).toContain(`ovaledge-job:1 sets EDGI_AWS_REGION=${REGION}`);
  });

  it('fails when EDGI_AWS_REGION on the Job task definition is another region', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-job', 'EDGI_AWS_REGION', 'eu-west-1');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.filter((f) => f.status === 'fail');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toContain('ovaledge-job:1');
    expect(bad[0]!.message).toContain('EDGI_AWS_REGION=eu-west-1');
    expect(bad[0]!.message).not.toContain('placeholder');
    expect(bad[0]!.expected).toBe(REGION);
    expect(bad[0]!.found).toBe('eu-west-1');
    expect(r.findings.filter((f) => f.status === 'pass')).toHaveLength(3);
  });

  it('fails and says so when AWS_REGION is still the runbook placeholder <Region>', async () => {
    const data = healthy();
    setEnv(data, 'oe_edgi_insights_service', 'AWS_REGION', '<Region>');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.find((f) => f.status === 'fail')!;
    expect(bad.message).toContain('oe_edgi_insights_service:1');
    expect(bad.message).toContain('still the runbook placeholder');
    expect(bad.expected).toBe(REGION);
    expect(bad.found).toBe('<Region>');
  });

  it('fails when the variable is missing on one task definition', async () => {
    const data = healthy();
    setEnv(data, 'edgi-data-service', 'AWS_REGION', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.find((f) => f.status === 'fail')!;
    expect(bad.message).toContain('edgi-data-service:2 has no AWS_REGION');
    expect(bad.expected).toBe(`AWS_REGION=${REGION}`);
    expect(bad.found).toBe('not set');
  });

  it('fails when the region variable is right in one container and wrong in another', async () => {
    const data = healthy();
    const td = data.taskDefinitions!.find((t) => t.family === 'ovaledge-ui')!;
    td.containers.push({ ...td.containers[0]!, name: 'sidecar', environment: [{ name: 'EDGI_AWS_REGION', value: 'eu-west-1' }] });
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings.find((f) => f.status === 'fail')!.message).toContain('ovaledge-ui:1 sets EDGI_AWS_REGION=eu-west-1');
  });

  it('reads the latest ACTIVE revision of the family', async () => {
    const data = healthy();
    const old = data.taskDefinitions!.find((t) => t.family === 'edgi-data-service')!;
    data.taskDefinitions!.push({
      ...old,
      revision: 3,
      arn: old.arn.replace(/:2$/, ':3'),
      containers: [{ ...old.containers[0]!, environment: [{ name: 'AWS_REGION', value: 'eu-west-1' }] }],
    });
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings.find((f) => f.status === 'fail')!.message).toContain('edgi-data-service:3');
  });

  it('compares against the configured region', async () => {
    const r = await runOne(check, healthy(), config({ region: 'eu-west-1' }));
    expect(r.status).toBe('fail');
    expect(r.findings.filter((f) => f.status === 'fail')).toHaveLength(4);
    expect(r.findings[0]!.message).toContain('not the deployment region eu-west-1');
  });

  it('reports error naming the family when a task definition family is missing', async () => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== 'ovaledge-ui');
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    const e = r.findings.find((f) => f.status === 'error')!;
    expect(e.message).toContain('Task definition family ovaledge-ui not found');
    expect(e.message).toContain('EDGI_AWS_REGION');
    expect(e.resource).toBe('ovaledge-ui');
  });

  errorsWhenDenied(check, 'ecs:DescribeTaskDefinition');

  it('never carries a secret value into its result', async () => {
    const data = healthy();
    // Make the UI task definition the one reported on, so its finding is in the result.
    setEnv(data, 'ovaledge-ui', 'EDGI_AWS_REGION', 'eu-west-1');
    expect(JSON.stringify(data)).toContain(CANARY);
    for (const cfg of [config(), config({ region: 'eu-west-1' })]) {
      const r = await runOne(check, data, cfg);
      expect(r.findings.some((f) => f.message.includes('ovaledge-ui:1'))).toBe(true);
      expect(JSON.stringify(r)).not.toContain(CANARY);
    }
  });
});
