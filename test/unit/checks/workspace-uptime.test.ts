import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/workspace-uptime.js';
import { healthy, runOne } from '../../support/fixture-deployment.js';
import { ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

describe('workspace-uptime', () => {
  it('passes when the uptime rows belong to the workspace row', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toBe('Workspace row 1 has 1 uptime record(s) in edgi_data_service_uptime_history.');
  });

  it('fails on uptime rows that point at no workspace row, naming them', async () => {
    const data = healthy();
    data.database!.uptime.push({ pk: 9, user: 'admin', stackId: 42, row: { id: 9, stack_id: 42, user_id: 'admin' } });
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toBe('1 row(s) of edgi_data_service_uptime_history for user admin point at no existing workspace row.');
    expect(r.findings[0]!.found).toBe('row 9 -> stack 42');
    expect(r.findings[0]!.expected).toBe('stack ids among 1');
  });

  it('warns when the workspace row has no uptime record', async () => {
    const data = healthy();
    data.database!.uptime = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.message).toContain('has no uptime record');
  });

  skipsWhenRootFails(check, { ...ROOTS.workspaceRowMissing, exact: true });
});
