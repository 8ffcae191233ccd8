import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/insight-pins-latest-data.js';
import { healthy, latestTd, runOne, setEnv, tdArn } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, ROOTS, skipsWhenDenied, skipsWhenRootFails } from '../../support/common-cases.js';

const INSIGHT = 'oe_edgi_insights_service';
const DATA = 'edgi-data-service';

describe('insight-pins-latest-data', () => {
  it('passes when TASK_DEFINITION is the ARN of the latest ACTIVE Data revision', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toBe(`Task definition ${INSIGHT}:1 pins TASK_DEFINITION to ${DATA}:2, the latest ACTIVE Data revision.`);
  });

  it('fails naming the pinned and the latest revision when a newer Data revision exists', async () => {
    const data = healthy();
    const latest = latestTd(data, DATA);
    data.taskDefinitions!.push({ ...latest, revision: 3, arn: tdArn(DATA, 3) });
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toContain(`pins TASK_DEFINITION to ${DATA}:2, but the latest ACTIVE Data revision is ${DATA}:3`);
    expect(f.message).toContain('older revision');
    expect(f.expected).toBe(tdArn(DATA, 3));
    expect(f.found).toBe(tdArn(DATA, 2));
  });

  it('follows the latest ACTIVE revision: an INACTIVE newer revision does not count', async () => {
    const data = healthy();
    const latest = latestTd(data, DATA);
    data.taskDefinitions!.push({ ...latest, revision: 3, arn: tdArn(DATA, 3), status: 'INACTIVE' });
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
  });

  it('fails when TASK_DEFINITION pins a revision newer than the latest ACTIVE one', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'TASK_DEFINITION', tdArn(DATA, 7));
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain(`pins TASK_DEFINITION to ${DATA}:7, but the latest ACTIVE Data revision is ${DATA}:2; that revision is not ACTIVE`);
  });

  it('fails when TASK_DEFINITION names another family', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'TASK_DEFINITION', tdArn('ovaledge-ui', 1));
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toContain(`sets TASK_DEFINITION to family ovaledge-ui, not the Data family ${DATA}`);
    expect(f.expected).toBe(tdArn(DATA, 2));
    expect(f.found).toBe(tdArn('ovaledge-ui', 1));
  });

  it('fails when TASK_DEFINITION is an ARN of the right revision in another account', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'TASK_DEFINITION', tdArn(DATA, 2).replace('123456789012', '999999999999'));
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('in another account or region');
  });

  it('warns when TASK_DEFINITION names the family without a revision', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'TASK_DEFINITION', DATA);
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.message).toContain('without a revision');
    expect(r.findings[0]!.expected).toBe(tdArn(DATA, 2));
    expect(r.findings[0]!.found).toBe(DATA);
  });

  it('warns when TASK_DEFINITION is family:revision of the latest revision instead of its ARN', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'TASK_DEFINITION', `${DATA}:2`);
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.message).toContain('not its ARN');
  });

  it('fails and says so when TASK_DEFINITION is still the runbook placeholder', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'TASK_DEFINITION', '<Edgi Data Task Definition latest revision ARN>');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('still the runbook placeholder');
    expect(r.findings[0]!.found).toBe('<Edgi Data Task Definition latest revision ARN>');
  });

  it('fails when TASK_DEFINITION is not set', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'TASK_DEFINITION', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toBe(`Task definition ${INSIGHT}:1 has no TASK_DEFINITION; the Insight service cannot start Data tasks.`);
    expect(r.findings[0]!.expected).toBe(tdArn(DATA, 2));
    expect(r.findings[0]!.found).toBe('not set');
  });

  it('reports error when TASK_DEFINITION comes from a secrets reference', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'TASK_DEFINITION', undefined);
    latestTd(data, INSIGHT).containers[0]!.secrets.push({ name: 'TASK_DEFINITION', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/td' });
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain('from a secrets reference');
  });

  skipsWhenRootFails(check, ROOTS.insightFamilyMissing);

  skipsWhenRootFails(check, ROOTS.dataFamilyMissing);

  errorsWhenDenied(check, 'ecs:DescribeTaskDefinition', { alone: true });

  skipsWhenDenied(check, 'ecs:DescribeTaskDefinition', /because (insight|data)-task-definition failed/);
});
