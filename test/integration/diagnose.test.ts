import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { breakSandbox } from '../../src/sandbox/faults/index.js';
import { cli } from '../support/cli.js';
import { endpoint, freshSandbox } from '../support/live.js';

// `diagnose workspace` on the sandbox: healthy when clean; for each step-10 fault the verdict names
// the cause and, where the fix is the runbook's reset, the exact plan command.
async function diagnose(fault?: string, browser = true) {
  const dir = await freshSandbox();
  if (fault) await breakSandbox(fault, { endpoint: endpoint(), outDir: dir });
  return cli(['diagnose', 'workspace', '--user', 'admin', '-c', join(dir, 'askedgi-doctor.yaml'), '-o', join(dir, 'reports'), ...(browser ? [] : ['--no-smoke'])]);
}

const PLAN = 'askedgi-doctor remediate plan reset-workspace --user "admin"';

describe('askedgi-doctor diagnose workspace', () => {
  it('says healthy and exits 0 on the clean sandbox', async () => {
    const r = await diagnose();
    expect(r.stdout).toContain('Workspace of admin: HEALTHY');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('remediate plan');
  });

  it.each([
    ['workspace-not-created', /failed half-way \(a row without a valid project id\): the Insight service log shows an access error/, true],
    ['stale-workspace-row', /is stale: its data service is not registered in Cloud Map/, true],
    ['uptime-orphaned', /points at workspace rows that no longer exist/, true],
    ['upload-rejected', /the browser check fails at "upload"/, false],
    ['marketplace-missing', /the browser check fails at "marketplace"/, false],
  ] as const)('%s: names the cause and exits 1', async (fault, verdict, withCommand) => {
    // The rows and Cloud Map decide the workspace faults; the browser would only wait out its timeout.
    const r = await diagnose(fault, !withCommand);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('Workspace of admin: NOT HEALTHY');
    expect(r.stdout).toMatch(verdict);
    expect(r.stdout).toMatch(/Evidence:\n {2}- /);
    if (withCommand) expect(r.stdout).toContain(`  ${PLAN}`);
    else expect(r.stdout).not.toContain('remediate plan');
  });

  it('login-sso-redirect: the workspace is healthy; the browser check is skipped with the SSO reason', async () => {
    const r = await diagnose('login-sso-redirect');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/browser-smoke: login: the login page redirects to localhost:\d+ \(single sign-on\)/);
  });

  it('insight-log-errors: the workspace is healthy; the log lines are evidence, secrets masked', async () => {
    const r = await diagnose('insight-log-errors');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('insight-log-errors: Log group /ecs/oe_edgi_insights_service has');
    expect(r.stdout).toContain('password=<redacted>');
    expect(r.stdout).not.toContain('canary-db-password');
  });

  it('rejects an unknown diagnosis and a missing --user with exit 2', async () => {
    expect((await cli(['diagnose', 'bucket', '--user', 'admin'])).code).toBe(2);
    expect((await cli(['diagnose', 'workspace'])).code).toBe(2);
  });
});
