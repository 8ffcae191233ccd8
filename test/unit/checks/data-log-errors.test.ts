import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/data-log-errors.js';
import { healthy, runOne } from '../../support/fixture-deployment.js';
import { ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

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

  skipsWhenRootFails(check, { ...ROOTS.dataFamilyMissing, when: 'the family is gone', exact: true });
});
