import { describe, expect, it } from 'vitest';
import { diagnoseWorkspace, renderDiagnosis } from '../../src/diagnose/workspace.js';
import type { CheckResult, Finding, Status } from '../../src/model.js';

const r = (id: string, status: Status, findings: Finding[] = [{ status, message: `${id} ${status}.` }]): CheckResult => ({
  id,
  title: id,
  step: 10,
  severity: 'high',
  status,
  findings,
  remediation: `fix ${id}`,
  durationMs: 1,
});

const healthy = () => [
  r('insight-task-definition', 'pass'),
  r('insight-service-network', 'pass'),
  r('insight-service-running', 'pass'),
  r('task-role-trust', 'pass'),
  r('task-role-policy', 'pass'),
  r('task-role-shared', 'pass'),
  r('workspace-row', 'pass'),
  r('workspace-uptime', 'pass'),
  r('workspace-cloud-map', 'pass'),
  r('insight-log-errors', 'pass'),
  r('browser-smoke', 'pass'),
];

const replace = (results: CheckResult[], ...changed: CheckResult[]) => results.map((x) => changed.find((c) => c.id === x.id) ?? x);

describe('diagnoseWorkspace', () => {
  it('is healthy when row, uptime and Cloud Map agree', () => {
    const d = diagnoseWorkspace(healthy(), 'admin');
    expect(d.healthy).toBe(true);
    expect(d.command).toBeUndefined();
  });

  it('a missing row with an access error in the Insight log points at the task role, with the plan command', () => {
    const d = diagnoseWorkspace(
      replace(
        healthy(),
        r('workspace-row', 'fail', [{ status: 'fail', code: 'workspace-row/no-row', message: 'No row for user admin in edgi_data_service_stack: the workspace was not created.' }]),
        r('insight-log-errors', 'fail', [{ status: 'fail', message: 'Log group g has 1 events.', found: 'ClientError: AccessDeniedException when calling RegisterInstance' }]),
      ),
      'admin',
    );
    expect(d.healthy).toBe(false);
    expect(d.verdict).toBe('The workspace of admin was not created: the Insight service log shows an access error, so the task role is missing a permission.');
    expect(d.command).toBe('askedgi-doctor remediate plan reset-workspace --user "admin"');
    expect(d.evidence.join('\n')).toContain('AccessDeniedException');
  });

  it('a broken task role is named before the rows', () => {
    const d = diagnoseWorkspace(replace(healthy(), r('task-role-policy', 'fail'), r('workspace-row', 'fail')), 'a@b.c');
    expect(d.verdict).toMatch(/task role cannot be assumed or lacks the AskEdgi ECS policy/);
    expect(d.command).toBe('askedgi-doctor remediate plan reset-workspace --user "a@b.c"');
  });

  it('a stopped Insight service is named first, without a reset command', () => {
    const d = diagnoseWorkspace(replace(healthy(), r('insight-service-running', 'fail'), r('workspace-row', 'fail')), 'admin');
    expect(d.verdict).toMatch(/Insight service is not running/);
    expect(d.command).toBeUndefined();
  });

  it('a stale row (no Cloud Map instance) gets the reset command', () => {
    const d = diagnoseWorkspace(replace(healthy(), r('workspace-cloud-map', 'fail')), 'admin');
    expect(d.verdict).toMatch(/is stale/);
    expect(renderDiagnosis(d)).toContain('  askedgi-doctor remediate plan reset-workspace --user "admin"');
  });

  it('a browser failure names the step and its fix', () => {
    const d = diagnoseWorkspace(replace(healthy(), r('browser-smoke', 'fail', [{ status: 'pass', code: 'browser-smoke/login', message: 'login: ok.' }, { status: 'fail', code: 'browser-smoke/upload', message: 'upload: uploading x.csv failed (1.0 s).' }])), 'admin');
    expect(d.verdict).toBe('The workspace of admin exists and is registered, but the browser check fails at "upload".');
    expect(d.fix).toMatch(/CORS rule \(step 3\)/);
  });

  it('cannot diagnose without a database, and says so', () => {
    const d = diagnoseWorkspace(replace(healthy(), r('workspace-row', 'skip', [{ status: 'skip', code: 'workspace-row/no-database', message: 'Database probe not run: no database configured (database.url or database.fromSecret).' }])), 'admin');
    expect(d.healthy).toBe(false);
    expect(d.verdict).toMatch(/Cannot diagnose the workspace of admin/);
  });

  describe('keys on codes, not on message wording', () => {
    it('a reworded missing-row message is still a missing row; a row without project id is not', () => {
      const noRow = diagnoseWorkspace(replace(healthy(), r('workspace-row', 'fail', [{ status: 'fail', code: 'workspace-row/no-row', message: 'Workspace of admin absent.' }])), 'admin');
      expect(noRow.verdict).toBe('The workspace of admin was not created (no row in edgi_data_service_stack).');
      const halfWay = diagnoseWorkspace(replace(healthy(), r('workspace-row', 'fail', [{ status: 'fail', code: 'workspace-row/no-project-id', message: 'No row has a project id.' }])), 'admin');
      expect(halfWay.verdict).toBe('The workspace row of admin has no valid project id: its creation failed half-way.');
    });

    it('the failing smoke step comes from the code: a message naming another step does not mislead it', () => {
      const d = diagnoseWorkspace(replace(healthy(), r('browser-smoke', 'fail', [{ status: 'fail', code: 'browser-smoke/openai-key', message: 'upload: the settings page shows no key.' }])), 'admin');
      expect(d.verdict).toBe('The workspace of admin exists and is registered, but the browser check fails at "OpenAI key".');
      expect(d.fix).toMatch(/OpenAI API key/);
    });

    it('a skipped workspace-row for another reason than the database is not "cannot diagnose"', () => {
      const d = diagnoseWorkspace(replace(healthy(), r('workspace-row', 'skip', [{ status: 'skip', code: 'workspace-row/not-run', message: 'Database probe not run because x failed.' }])), 'admin');
      expect(d.verdict).not.toMatch(/Cannot diagnose/);
    });
  });
});
