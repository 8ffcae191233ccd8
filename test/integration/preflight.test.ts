// The pre-flight: one sts:GetCallerIdentity before any check. Credentials that cannot be resolved
// (a profile that does not exist) are one line on stderr and exit 2, not a page of per-check errors.
// Against moto; the SDK default chain is the only source of credentials (--profile sets AWS_PROFILE).
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { endpoint } from '../support/live.js';

const dir = mkdtempSync(join(tmpdir(), 'askedgi-preflight-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** No credentials anywhere: an empty AWS config and credentials file, no static keys, no instance metadata. */
function noCredentials(): Record<string, string | undefined> {
  const empty = join(dir, 'empty-aws-config');
  writeFileSync(empty, '');
  return {
    AWS_CONFIG_FILE: empty,
    AWS_SHARED_CREDENTIALS_FILE: empty,
    AWS_PROFILE: undefined,
    AWS_DEFAULT_PROFILE: undefined,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: undefined,
    AWS_DEFAULT_REGION: undefined,
  };
}

function config(): string {
  const file = join(dir, 'askedgi-doctor.yaml');
  writeFileSync(
    file,
    [
      `endpoint: ${endpoint()}`,
      'region: us-east-1',
      'cluster: acme',
      'securityGroups: { elasticsearch: sg-1, rds: sg-2, efs: sg-3 }',
      'efs: { fileSystemId: fs-1 }',
      '',
    ].join('\n'),
  );
  return file;
}

/** stderr without the AWS SDK's own Node 20 support notice (see cli.test.ts), which is not the doctor's. */
const doctorLines = (stderr: string): string[] =>
  stderr
    .replace(/\(node:\d+\) Warning: NodeVersionSupportWarning:[\s\S]*?\(Use `node --trace-warnings \.\.\.` to show where the warning was created\)\n/, '')
    .split('\n')
    .filter((l) => l.trim() !== '');

describe('pre-flight credentials', () => {
  it('run --profile nope with an empty AWS config: exit 2 and one line naming the profile, the region and the SDK reason', async () => {
    const out = join(dir, 'reports-run');
    const r = await cli(['run', '-c', config(), '--profile', 'nope', '--region', 'eu-west-2', '-o', out], noCredentials());
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const lines = doctorLines(r.stderr);
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^askedgi-doctor: AWS credentials for profile "nope" in eu-west-2 cannot be used: .+/);
    // The SDK's reason, not a permission: nothing ran, no check result and no report.
    expect(lines[0]).toContain('CredentialsProviderError: Could not load credentials from any providers');
    expect(lines[0]).toMatch(/is profile "nope" defined/);
    expect(lines[0]).not.toMatch(/permission|Access denied/i);
    expect(r.stdout).toBe('');
    expect(() => readdirSync(out)).toThrow();
  });

  it('diagnose --profile nope: the same one line and exit 2 (AWS_PROFILE in the environment works the same)', async () => {
    const r = await cli(['diagnose', 'workspace', '--user', 'admin', '-c', config(), '--no-smoke'], { ...noCredentials(), AWS_PROFILE: 'nope' });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const lines = doctorLines(r.stderr);
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^askedgi-doctor: AWS credentials for profile "nope" in us-east-1 cannot be used: /);
  });

  it('an SSO profile without a login session: one line that says to run aws sso login --profile X (the SDK reads the profile, no network)', async () => {
    const home = mkdtempSync(join(dir, 'home-'));
    const awsConfig = join(home, 'aws-config');
    writeFileSync(
      awsConfig,
      ['[profile acme-sso]', 'sso_session = acme', 'sso_account_id = 123456789012', 'sso_role_name = ReadOnly', 'region = us-east-1', '', '[sso-session acme]', 'sso_region = us-east-1', 'sso_start_url = https://acme.awsapps.com/start', ''].join('\n'),
    );
    const r = await cli(['run', '-c', config(), '--profile', 'acme-sso', '-o', join(dir, 'reports-sso')], { ...noCredentials(), AWS_CONFIG_FILE: awsConfig, HOME: home });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const lines = doctorLines(r.stderr);
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^askedgi-doctor: AWS credentials for profile "acme-sso" in us-east-1 cannot be used: .*SSO.*\. Run: aws sso login --profile acme-sso$/);
  });

  it('remediate plan takes --profile and --region too: the SDK chain is asked for profile "nope": a credentials error, not a permission (remediate has no separate pre-flight; its plan reads the identity first)', async () => {
    const r = await cli(['remediate', 'plan', 'redeploy-latest', '--service', 'insight', '-c', config(), '--profile', 'nope', '--region', 'eu-west-2', '-o', join(dir, 'reports-remediate')], noCredentials());
    expect(r.code, r.stdout + r.stderr).not.toBe(0);
    expect(r.stderr).toContain('Could not load credentials from any providers');
    expect(r.stderr).not.toMatch(/lacks permission/);
  });
});
