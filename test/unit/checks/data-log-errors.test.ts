import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/data-log-errors.js';
import { healthy, runOne } from '../../support/fixture-deployment.js';

const GROUP = '/ecs/edgi-data-service';

describe('data-log-errors', () => {
  it('passes without errors and fails with them, reading the Data task\'s log group', async () => {
    expect((await runOne(check, healthy())).status).toBe('pass');
    const data = healthy();
    data.logEvents![GROUP]!.push('ERROR PutObject failed: AccessDenied');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.resource).toBe(GROUP);
    expect(r.findings[0]!.found).toBe('ERROR PutObject failed: AccessDenied');
  });

  it('skips because data-task-definition failed when the family is gone', async () => {
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== 'edgi-data-service');
    const r = await runOne(check, data);
    expect(r.status).toBe('skip');
    expect(r.findings[0]!.message).toBe('Not run because data-task-definition failed.');
  });
});
