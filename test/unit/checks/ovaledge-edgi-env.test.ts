import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/ovaledge-edgi-env.js';
import { BUCKET, config, healthy, latestTd, NAMESPACE, REGION, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied } from '../../support/common-cases.js';

const ENDPOINT = `oe-edgi-insights-service.${NAMESPACE.name}`;
const CANARY = 'canary-secret-value';

describe('ovaledge-edgi-env', () => {
  it('passes once per task definition for the healthy deployment', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(2);
    expect(r.findings[0]!.message).toContain('Task definition ovaledge-ui:1 carries all');
    expect(r.findings[1]!.message).toContain('Task definition ovaledge-job:1 carries all');
    expect(r.findings[0]!.message).not.toContain('not compared');
  });

  it('fails naming the task definition and variable when one is missing on the Job only', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-job', 'EDGI_WORKSPACE_NAMESPACE', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.filter((f) => f.status === 'fail');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toBe('Task definition ovaledge-job:1 has no EDGI_WORKSPACE_NAMESPACE.');
    expect(bad[0]!.expected).toBe(`EDGI_WORKSPACE_NAMESPACE=${NAMESPACE.name}`);
    expect(bad[0]!.found).toBe('not set');
    expect(r.findings.find((f) => f.status === 'pass')!.message).toContain('ovaledge-ui:1');
  });

  it('accepts a required variable given as a secrets reference', async () => {
    const data = healthy();
    const c = latestTd(data, 'ovaledge-ui').containers[0]!;
    expect(c.secrets.map((s) => s.name)).toContain('EDGI_AWS_SECRET_KEY');
    const r = await runOne(check, data);
    expect(r.findings.filter((f) => f.message.includes('EDGI_AWS_SECRET_KEY'))).toEqual([]);
  });

  it('fails when a secret variable is missing from both environment and secrets', async () => {
    const data = healthy();
    const c = latestTd(data, 'ovaledge-ui').containers[0]!;
    c.secrets = c.secrets.filter((s) => s.name !== 'BRIDGE_AWS_USER_SECRET_KEY');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toBe('Task definition ovaledge-ui:1 has no BRIDGE_AWS_USER_SECRET_KEY.');
    expect(f.expected).toBe('BRIDGE_AWS_USER_SECRET_KEY set (environment or secrets)');
  });

  it('fails on a plaintext secret that is still a placeholder, without showing it', async () => {
    const data = healthy();
    const c = latestTd(data, 'ovaledge-job').containers[0]!;
    c.secrets = c.secrets.filter((s) => s.name !== 'EDGI_AWS_SECRET_KEY');
    // Raw here: the fixture inventory redacts it on the way in, as the live one does.
    c.environment.push({ name: 'EDGI_AWS_SECRET_KEY', value: 'Edgi user secret key>' });
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toBe('Task definition ovaledge-job:1 sets EDGI_AWS_SECRET_KEY still a runbook placeholder.');
    expect(f.found).toBe('set (secret value not shown)');
    expect(JSON.stringify(r)).not.toContain('Edgi user secret key>');
  });

  it('accepts a plaintext secret that holds a real value (placeholder detection is not fooled by redaction)', async () => {
    const data = healthy();
    const c = latestTd(data, 'ovaledge-job').containers[0]!;
    c.secrets = c.secrets.filter((s) => s.name !== 'EDGI_AWS_SECRET_KEY');
    c.environment.push({ name: 'EDGI_AWS_SECRET_KEY', value: 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY' });
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(JSON.stringify(r)).not.toContain('wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY');
  });

  it('fails when a fixed value differs from the runbook', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-ui', 'EDGI_ENABLE', 'false');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toContain('ovaledge-ui:1 sets EDGI_ENABLE=false, which does not match the runbook value true');
    expect(f.expected).toBe('true');
    expect(f.found).toBe('false');
  });

  it.each([
    ['EDGI_INSIGHT_SERVICE_HOST', 'oe-edgi-insights-service', ENDPOINT, 'Service Discovery Endpoint'],
    ['EDGI_WORKSPACE_HOST', 'edgi-data-service-admin', 'edgi-data-service', 'Edgi Data task definition family'],
    ['EDGI_WORKSPACE_NAMESPACE', 'other.local', NAMESPACE.name, 'EDGI_WORKSPACE_NAME_SPACE on oe_edgi_insights_service:1'],
    ['EDGI_CLIENT_PREFIX', 'globex', 'acme', 'SQS_QUEUE_PREFIX on oe_edgi_insights_service:1'],
    ['EDGI_AI_FUNCTION_QUEUE', 'ai_queue', 'ai_functions_queue', 'AI_FUNCTION_QUEUE_NAME on oe_edgi_insights_service:1'],
    ['EDGI_BUCKET_NAME', 'other-bucket', BUCKET, 'BUCKET_NAME on edgi-data-service:2'],
    ['EDGI_AWS_REGION', 'eu-west-1', REGION, 'deployment region'],
  ])('fails when %s disagrees with its source', async (name, wrong, right, source) => {
    const data = healthy();
    setEnv(data, 'ovaledge-job', name, wrong);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.filter((f) => f.status === 'fail');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toContain(`ovaledge-job:1 sets ${name}=${wrong}, which does not match`);
    expect(bad[0]!.message).toContain(source);
    expect(bad[0]!.expected).toBe(right);
    expect(bad[0]!.found).toBe(wrong);
  });

  it.each([
    ['another case', ENDPOINT.toUpperCase()],
    ['a trailing dot', `${ENDPOINT}.`],
    ['the Insight port', `${ENDPOINT}:8000`],
    ['all three', `${ENDPOINT.replace('insights', 'INSIGHTS')}.:8000`],
  ])('accepts EDGI_INSIGHT_SERVICE_HOST written with %s (DNS names are case-insensitive)', async (_what, value) => {
    const data = healthy();
    setEnv(data, 'ovaledge-ui', 'EDGI_INSIGHT_SERVICE_HOST', value);
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
    expect(r.findings.map((f) => f.status)).toEqual(['pass', 'pass']);
  });

  it('fails when EDGI_INSIGHT_SERVICE_HOST names the right host on another port than the Insight port', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-ui', 'EDGI_INSIGHT_SERVICE_HOST', `${ENDPOINT}:9000`);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.filter((f) => f.status === 'fail');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.code).toBe('ovaledge-edgi-env/wrong-port');
    expect(bad[0]!.message).toBe(
      `Task definition ovaledge-ui:1 sets EDGI_INSIGHT_SERVICE_HOST=${ENDPOINT}:9000: the host matches the Service Discovery Endpoint of ECS service oe-edgi-insights-service (${ENDPOINT}), but port 9000 is not the Insight port 8000 (http.insightPort).`,
    );
    expect(bad[0]!.expected).toBe(`${ENDPOINT} or ${ENDPOINT}:8000`);
    expect(bad[0]!.found).toBe(`${ENDPOINT}:9000`);
  });

  it('takes the Insight port from http.insightPort', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-ui', 'EDGI_INSIGHT_SERVICE_HOST', `${ENDPOINT}:9000`);
    expect((await runOne(check, data, config({ http: { insightPort: 9000 } }))).status).toBe('pass');
    setEnv(data, 'ovaledge-ui', 'EDGI_INSIGHT_SERVICE_HOST', `${ENDPOINT}:8000`);
    expect((await runOne(check, data, config({ http: { insightPort: 9000 } }))).findings.find((f) => f.status === 'fail')!.code).toBe('ovaledge-edgi-env/wrong-port');
  });

  it('still fails a different host written with the Insight port, as a mismatch', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-job', 'EDGI_INSIGHT_SERVICE_HOST', 'oe-edgi-insights-service:8000');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.code).toBe('ovaledge-edgi-env/mismatch');
    expect(f.message).toBe(
      `Task definition ovaledge-job:1 sets EDGI_INSIGHT_SERVICE_HOST=oe-edgi-insights-service:8000, which does not match the Service Discovery Endpoint of ECS service oe-edgi-insights-service (${ENDPOINT}).`,
    );
  });

  it('fails on a runbook placeholder, saying so', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-job', 'EDGI_AWS_REGION', '<Region>');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toContain('ovaledge-job:1 sets EDGI_AWS_REGION still the runbook placeholder "<Region>"');
    expect(f.expected).toBe(`EDGI_AWS_REGION=${REGION}`);
    expect(f.found).toBe('<Region>');
  });

  it('fails when a variable is empty', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-ui', 'EDGI_CLIENT_PREFIX', '');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings.find((x) => x.status === 'fail')!.message).toBe('Task definition ovaledge-ui:1 sets EDGI_CLIENT_PREFIX empty.');
  });

  it('compares with the configured Data family and region', async () => {
    const r = await runOne(check, healthy(), config({ region: 'eu-west-1' }));
    expect(r.status).toBe('fail');
    expect(r.findings.filter((f) => f.status === 'fail' && f.message.includes('EDGI_AWS_REGION'))).toHaveLength(2);
  });

  it('reports error for EDGI_INSIGHT_SERVICE_HOST when service discovery is off, and still verifies the rest', async () => {
    const data = healthy();
    data.services!.find((s) => s.name === 'oe-edgi-insights-service')!.serviceRegistries = [];
    setEnv(data, 'ovaledge-ui', 'EDGI_BUCKET_NAME', 'other-bucket');
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    const e = r.findings.find((f) => f.status === 'error')!;
    expect(e.message).toContain('Cannot verify EDGI_INSIGHT_SERVICE_HOST');
    expect(e.message).toContain('cannot compute the endpoint because service discovery is off on ECS service oe-edgi-insights-service');
    expect(e.found).toBe('no service registries');
    expect(r.findings.find((f) => f.status === 'fail')!.message).toContain('EDGI_BUCKET_NAME=other-bucket');
    expect(r.findings.find((f) => f.status === 'pass')!.message).toContain('not compared: EDGI_INSIGHT_SERVICE_HOST');
  });

  it('reports error naming the Insight service when it does not exist', async () => {
    const data = healthy();
    data.services = data.services!.filter((s) => s.name !== 'oe-edgi-insights-service');
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain('ECS service oe-edgi-insights-service not found in cluster acme');
  });

  it('fails naming the family when the UI task definition does not exist', async () => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== 'ovaledge-ui');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings.find((x) => x.status === 'fail')!;
    expect(f.message).toContain('OvalEdge UI task definition family ovaledge-ui has no ACTIVE revision');
    expect(f.found).toBe('none');
  });

  it.each([
    ['edgi-data-service', 'data-task-definition'],
    ['oe_edgi_insights_service', 'insight-task-definition'],
  ])('is skipped when %s has no revision because %s failed', async (family, root) => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== family);
    const r = await runOne(check, data);
    expect(r.status).toBe('skip');
    expect(r.findings[0]!.message).toContain(`because ${root} failed`);
  });

  it('reports error naming servicediscovery:GetService when it is denied, still checking the rest', async () => {
    const r = await runOne(check, { ...healthy(), denied: ['servicediscovery:GetService'] });
    expect(r.status).toBe('error');
    const e = r.findings.find((f) => f.status === 'error')!;
    expect(e.message).toContain('the caller lacks permission servicediscovery:GetService');
    expect(e.expected).toContain('EDGI_INSIGHT_SERVICE_HOST');
    expect(r.findings.filter((f) => f.status === 'pass')).toHaveLength(2);
  });

  errorsWhenDenied(check, 'ecs:DescribeTaskDefinition', { alone: true, skipsWithRoots: true });

  it('never carries a secret value into its result', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-ui', 'EDGI_AWS_REGION', 'eu-west-1');
    const r = await runOne(check, data);
    expect(r.findings.some((f) => f.message.includes('ovaledge-ui:1'))).toBe(true);
    expect(JSON.stringify(r)).not.toContain(CANARY);
  });
});
