import { expect, it } from 'vitest';
import check from '../../../src/checks/insight-task-env.js';
import { config, healthy, runOne, setEnv, tdArn } from '../../support/fixture-deployment.js';
import { fails, taskEnvSuite } from '../../support/task-shape-cases.js';

const FAMILY = 'oe_edgi_insights_service';

taskEnvSuite(check, 'insight', () => {
  it('passes with every step-7 variable and the fixed values', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toContain('Task definition oe_edgi_insights_service:1 sets all 20 runbook variables, with AI_FUNCTION_QUEUE_NAME=ai_functions_queue');
    expect(r.findings[0]!.message).toContain('ENV=prod');
    expect(r.findings[0]!.resource).toBe(tdArn(FAMILY, 1));
  });

  it('fails when DATA_SYNC_QUEUE_NAME is missing', async () => {
    const data = healthy();
    setEnv(data, FAMILY, 'DATA_SYNC_QUEUE_NAME', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(fails(r)).toHaveLength(1);
    expect(fails(r)[0]!.message).toBe('Task definition oe_edgi_insights_service:1 has no DATA_SYNC_QUEUE_NAME.');
    expect(fails(r)[0]!.expected).toBe('DATA_SYNC_QUEUE_NAME=data_sync_queue');
    expect(fails(r)[0]!.found).toBe('not set');
  });

  it('fails when a mount path differs from the runbook', async () => {
    const data = healthy();
    setEnv(data, FAMILY, 'LOG_PATH', '/var/log/edgi');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(fails(r)[0]!.message).toBe('Task definition oe_edgi_insights_service:1 sets LOG_PATH=/var/log/edgi; the runbook sets /app/logs.');
    expect(fails(r)[0]!.expected).toBe('LOG_PATH=/app/logs');
  });

  it('fails when TASK_DEFINITION is still the runbook placeholder', async () => {
    const data = healthy();
    setEnv(data, FAMILY, 'TASK_DEFINITION', '<Edgi Data Task Definition latest revision ARN>');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(fails(r)[0]!.message).toBe('Task definition oe_edgi_insights_service:1 still has the runbook placeholder in TASK_DEFINITION.');
  });

  it('checks Insight ENV against its own fixed value prod only (agreement with Data is another check)', async () => {
    const data = healthy();
    setEnv(data, FAMILY, 'ENV', 'production');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(fails(r)[0]!.expected).toBe('ENV=prod');
    expect(fails(r)[0]!.found).toBe('ENV=production');
    // A Data-side ENV change does not concern this check.
    const other = healthy();
    setEnv(other, 'edgi-data-service', 'ENV', 'staging');
    expect((await runOne(check, other)).status).toBe('pass');
  });

  it('uses requiredEnv and env from the config', async () => {
    const cfg = config({ expect: { insight: { requiredEnv: ['EXTRA_VAR'], env: { EDGI_WORKSPACE_DISCOVERY: 'static' } } } });
    const r = await runOne(check, healthy(), cfg);
    expect(fails(r).map((f) => f.message)).toEqual([
      'Task definition oe_edgi_insights_service:1 has no EXTRA_VAR.',
      'Task definition oe_edgi_insights_service:1 sets EDGI_WORKSPACE_DISCOVERY=dynamic; the runbook sets static.',
    ]);
  });
});
