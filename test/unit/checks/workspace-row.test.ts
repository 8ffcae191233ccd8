import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/workspace-row.js';
import { config, healthy, runOne } from '../../support/fixture-deployment.js';

describe('workspace-row', () => {
  it('passes when the admin has one row with a valid project id', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toBe('Workspace row 1 of user admin in edgi_data_service_stack has project id prj-0123456789ab.');
  });

  it('finds the row by e-mail too', async () => {
    const r = await runOne(check, healthy(), config({ workspace: { user: 'admin@askedgi.local' } }));
    expect(r.status).toBe('pass');
  });

  it('fails when the workspace was not created', async () => {
    const data = healthy();
    data.database!.stack = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toBe('No row for user admin in edgi_data_service_stack: the workspace was not created.');
    expect(r.findings[0]!.expected).toBe('one row with a project id');
    expect(r.findings[0]!.found).toBe('no row');
  });

  it.each([[null, 'NULL'], ['', ''], ['x', 'x'], ['bad id!', 'bad id!']])('fails on project id %j', async (projectId, found) => {
    const data = healthy();
    data.database!.stack[0]!.projectId = projectId;
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('has no valid project id');
    expect(r.findings[0]!.found).toBe(found);
  });

  it('warns on duplicate rows', async () => {
    const data = healthy();
    data.database!.stack.push({ ...data.database!.stack[0]!, pk: 7 });
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    expect(r.findings.at(-1)!.found).toBe('1, 7');
  });

  it('honours a configured project id pattern', async () => {
    const r = await runOne(check, healthy(), config({ database: { url: 'env:ASKEDGI_DB_URL', projectIdPattern: '^\\d+$' } }));
    expect(r.status).toBe('fail');
  });

  it('skips with the reason when no database is configured, and when there is no workspace user', async () => {
    const data = healthy();
    delete data.database;
    const r = await runOne(check, data);
    expect(r.status).toBe('skip');
    expect(r.findings[0]!.message).toBe('Database probe not run: no database configured (database.url or database.fromSecret).');
    const noUser = await runOne(check, healthy(), config({ workspace: {} }));
    expect(noUser.status).toBe('skip');
    expect(noUser.findings[0]!.message).toContain('No workspace user configured');
  });

  it('reports error when the table cannot be read', async () => {
    const r = await runOne(check, { ...healthy(), denied: ['mysql:SELECT'] });
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain('mysql:SELECT');
  });
});
