import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/insight-log-errors.js';
import { config, healthy, latestTd, runOne } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, runAlone } from '../../support/common-cases.js';

const GROUP = '/ecs/oe_edgi_insights_service';

describe('insight-log-errors', () => {
  it('passes when the log group has no error in the window', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toBe(`Log group ${GROUP} has no events containing ERROR or Exception or Traceback in the last 60 minutes.`);
  });

  it('fails with the count and the first distinct lines, secrets masked', async () => {
    const data = healthy();
    data.logEvents![GROUP]!.push('ERROR boom password=canary-db-password', 'ERROR boom password=canary-db-password', 'Traceback (most recent call last):', 'ERROR key AKIAIOSFODNN7CANARY1');
    const r = await runOne(check, data, config({ logs: { maxLines: 2 } }));
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toBe(`Log group ${GROUP} has 4 events containing ERROR or Exception or Traceback in the last 60 minutes (3 distinct).`);
    expect(r.findings[0]!.found).toBe('ERROR boom password=<redacted>\nTraceback (most recent call last):\n… 1 more distinct lines');
    expect(JSON.stringify(r)).not.toContain('canary-db-password');
    expect(JSON.stringify(r)).not.toContain('IOSFODNN7CANARY1');
  });

  it('uses the configured terms', async () => {
    const data = healthy();
    data.logEvents![GROUP]!.push('FATAL something');
    expect((await runOne(check, data)).status).toBe('pass');
    expect((await runOne(check, data, config({ logs: { terms: ['FATAL'] } }))).status).toBe('fail');
  });

  it('reports error when the log group does not exist', async () => {
    const data = healthy();
    delete data.logEvents![GROUP];
    data.logGroups = data.logGroups!.filter((g) => g !== GROUP);
    // insight-task-logging (its root) fails then; run alone the check reports that cause as error.
    const r = (await runAlone(check, data)).findings;
    expect(r[0]!.status).toBe('error');
    expect(r[0]!.message).toBe(`Log group ${GROUP} used by container oe_edgi_insights_service of task definition oe_edgi_insights_service:1 does not exist; tasks fail to start without it.`);
    expect((await runOne(check, data)).findings).toEqual([{ status: 'skip', code: 'insight-log-errors/not-run', fingerprint: 'insight-log-errors/not-run', message: 'Not run because insight-task-logging failed.' }]);
  });

  it('skips with the reason when FireLens sends the logs outside CloudWatch (insight-task-logging warns)', async () => {
    const data = healthy();
    latestTd(data, 'oe_edgi_insights_service').containers[0]!.logConfiguration = { logDriver: 'awsfirelens', options: { Name: 'datadog' } };
    const r = await runOne(check, data);
    expect(r.findings).toEqual([
      { status: 'skip', code: 'insight-log-errors/logs-elsewhere', fingerprint: `insight-log-errors/logs-elsewhere@${latestTd(data, 'oe_edgi_insights_service').arn}`, message: 'Task definition oe_edgi_insights_service:1 sends its logs outside CloudWatch Logs (see insight-task-logging); the doctor cannot search them.', resource: latestTd(data, 'oe_edgi_insights_service').arn },
    ]);
  });

  it('reports error when the task sends no logs to CloudWatch', async () => {
    const data = healthy();
    delete latestTd(data, 'oe_edgi_insights_service').containers[0]!.logConfiguration;
    const r = (await runAlone(check, data)).findings;
    expect(r[0]!.status).toBe('error');
    expect(r[0]!.message).toContain('has no log configuration; CloudWatch Logs are not enabled');
  });

  errorsWhenDenied(check, 'logs:FilterLogEvents');
});
