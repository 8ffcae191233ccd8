import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { destroyClients, makeClients } from '../../src/aws/clients.js';
import { CHECKS } from '../../src/checks/index.js';
import { breakSandbox } from '../../src/sandbox/faults/index.js';
import { INSIGHT_ERROR_CANARIES } from '../../src/sandbox/faults/workspace.js';
import { cli } from '../support/cli.js';
import { validateJunit } from '../support/junit-schema.js';
import { readReport } from '../support/report-schema.js';
import { CLEAN_STATUS, currentStack, endpoint, freshSandbox } from '../support/live.js';


describe('askedgi-doctor run against the sandbox', () => {
  let dir: string;
  let out: string;
  beforeAll(async () => {
    dir = await freshSandbox();
    out = mkdtempSync(join(tmpdir(), 'askedgi-reports-'));
  });

  it('exits 0 on the clean sandbox and writes a JSON report and a schema-valid JUnit file', async () => {
    const r = await cli(['run', '--config', join(dir, 'askedgi-doctor.yaml'), '--out', out]);
    expect(r.stderr).not.toMatch(/NodeVersionSupportWarning/);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Step 1 — Network security/);
    expect(r.stdout).not.toContain('\u001b[');
    const json = readReport(join(out, 'askedgi-doctor.json'));
    expect(Object.keys(json)[0]).toBe('schemaVersion');
    // Everything passes but the private Insight endpoint, which is skip outside the VPC (CLEAN_STATUS).
    const notPassing = json.results.filter((x: { id: string; status: string }) => x.status !== (CLEAN_STATUS[x.id] ?? 'pass'));
    expect(notPassing).toEqual([]);
    expect(json.summary.pass).toBe(json.results.length - Object.keys(CLEAN_STATUS).length);
    expect(json.stats.apiCalls['ec2:DescribeSecurityGroups']).toBeGreaterThan(0);
    expect(json.target.account).toBe('123456789012');
    // Throws with xmllint's message unless valid against the Jenkins and the strict Ant schema (schemas/junit/).
    validateJunit(join(out, 'junit.xml'));
    const html = readFileSync(join(out, 'askedgi-doctor.html'), 'utf8');
    for (const r of json.results) expect(html).toContain(`<code>${r.id}</code>`);
  });

  it('exits 1 and names the broken rule and its security group after a step-1 fault', async () => {
    await breakSandbox('edgi-sg-no-9200', { endpoint: endpoint(), outDir: dir });
    const r = await cli(['run', '--config', join(dir, 'askedgi-doctor.yaml'), '--out', out, '--format', 'console,junit']);
    expect(r.code).toBe(1);
    const state = JSON.parse(readFileSync(join(dir, 'sandbox-state.json'), 'utf8'));
    expect(r.stdout).toMatch(/FAIL\s+edgi-sg-ingress-elasticsearch/);
    expect(r.stdout).toContain(`Security group ${state.securityGroups.edgi}`);
    expect(r.stdout).toMatch(/no inbound TCP 9200 rule from sg-\w+ \(Elasticsearch\)/);
    expect(r.stdout).toMatch(/fix: /);
    validateJunit(join(out, 'junit.xml'));
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/<failure type="fail"/);
  });

  it('--only narrows the run, and --fail-on decides what exits 1', async () => {
    const cfg = join(dir, 'askedgi-doctor.yaml');
    expect((await cli(['run', '-c', cfg, '-o', out, '--only', 'caller-identity,region-agreement'])).code).toBe(0);
    expect((await cli(['run', '-c', cfg, '-o', out, '--only', 'edgi-sg-ingress-elasticsearch', '--fail-on', 'none'])).code).toBe(0);
    const skipped = await cli(['run', '-c', cfg, '-o', out, '--skip', 'edgi-sg-ingress-elasticsearch', '-f', 'json']);
    expect(skipped.code).toBe(0);
    const json = readReport(join(out, 'askedgi-doctor.json'));
    expect(json.results.map((r: { id: string }) => r.id)).not.toContain('edgi-sg-ingress-elasticsearch');
  });

  it('--no-smoke and --no-db leave the probes out, saying so', async () => {
    dir = await freshSandbox();
    const r = await cli(['run', '-c', join(dir, 'askedgi-doctor.yaml'), '-o', out, '-f', 'json', '--no-smoke', '--no-db']);
    expect(r.code).toBe(0);
    const json = readReport(join(out, 'askedgi-doctor.json'));
    const byId = Object.fromEntries(json.results.map((x: { id: string }) => [x.id, x]));
    expect(byId['browser-smoke'].findings[0]).toEqual({ status: 'skip', message: 'Browser smoke test not run: left out by --no-smoke.' });
    expect(byId['workspace-row'].findings[0]).toEqual({ status: 'skip', message: 'Database probe not run: left out by --no-db.' });
    expect(json.stats.apiCalls['mysql:SELECT']).toBeUndefined();
  });

  it('reads the database credentials from the AWS_SCTNAME secret with database.fromSecret', async () => {
    dir = await freshSandbox();
    const file = join(dir, 'askedgi-doctor.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/database:\n {2}url: env:ASKEDGI_DB_URL\n/, 'database:\n  fromSecret: true\n'));
    expect(readFileSync(file, 'utf8')).toContain('fromSecret: true');
    const r = await cli(['run', '-c', file, '-o', out, '-f', 'json', '--no-smoke', '--only', 'workspace-row,workspace-cloud-map,insight-task-definition'], { ASKEDGI_DB_URL: '' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const json = readReport(join(out, 'askedgi-doctor.json'));
    expect(json.results.find((x: { id: string }) => x.id === 'workspace-row').status).toBe('pass');
    expect(json.stats.apiCalls['mysql:SELECT']).toBeGreaterThan(0);
  });

  it('the example plugin check of the sandbox config shows up in list, explain and the report, at no extra AWS cost', async () => {
    dir = await freshSandbox();
    const cfg = join(dir, 'askedgi-doctor.yaml');
    const listed = await cli(['list', '-c', cfg]);
    expect(listed.stdout).toMatch(/step {2}9 {2}medium +tenant-id-set +Every Edgi and OvalEdge task definition sets OE_TENANT_ID {2}\[plugin: .*examples\/checks\/tenant-id\.ts\]/);
    expect((await cli(['explain', 'tenant-id-set', '-c', cfg])).stdout).toMatch(/source: +.*tenant-id\.ts/);
    const withPlugin = await cli(['run', '-c', cfg, '-o', out, '-f', 'json,console', '--no-smoke']);
    expect(withPlugin.code, withPlugin.stdout).toBe(0);
    expect(withPlugin.stdout).toMatch(/PASS +tenant-id-set .*\[plugin: /);
    const json = readReport(join(out, 'askedgi-doctor.json'));
    const plugin = json.results.find((x: { id: string }) => x.id === 'tenant-id-set');
    expect(plugin).toMatchObject({ status: 'pass', step: 9, source: expect.stringContaining('tenant-id.ts') });
    await cli(['run', '-c', cfg, '-o', out, '-f', 'json', '--no-smoke', '--skip', 'tenant-id-set']);
    const without = readReport(join(out, 'askedgi-doctor.json'));
    expect(without.results.some((x: { id: string }) => x.id === 'tenant-id-set')).toBe(false);
    // The plugin reads task definitions the built-ins read anyway: the memoized inventory makes no extra call.
    expect(json.stats.apiCalls).toEqual(without.stats.apiCalls);
  });

  it('--fail-on warn turns a warning into exit 1', async () => {
    await freshSandbox().then((d) => (dir = d));
    await breakSandbox('edgi-sg-efs-all-traffic', { endpoint: endpoint(), outDir: dir });
    const cfg = join(dir, 'askedgi-doctor.yaml');
    expect((await cli(['run', '-c', cfg, '-o', out])).code).toBe(0);
    const strict = await cli(['run', '-c', cfg, '-o', out, '--fail-on', 'warn']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/WARN\s+edgi-sg-ingress-efs/);
  });
});

describe('secrets never appear in any output', () => {
  const filesBelow = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesBelow(join(dir, n)) : [join(dir, n)]));

  it('with canary values in task definitions, the database, the app login and the logs', async () => {
    const dir = await freshSandbox();
    await breakSandbox('insight-log-errors', { endpoint: endpoint(), outDir: dir });
    // A plaintext secret in a task definition too (warned by plaintext-secrets, value never shown).
    await breakSandbox('job-secret-key-plaintext', { endpoint: endpoint(), outDir: dir });
    const stack = currentStack();
    const clients = makeClients({ region: 'us-east-1', endpoint: endpoint() });
    const dbSecret = JSON.parse((await clients.secrets.send(new GetSecretValueCommand({ SecretId: stack.state.secrets.db.name }))).SecretString!) as { password: string };
    const edgiSecret = (await clients.secrets.send(new GetSecretValueCommand({ SecretId: stack.state.secrets.edgiUser.name }))).SecretString!;
    destroyClients(clients);
    const canaries = [
      stack.env.ASKEDGI_ADMIN_PASSWORD!,
      stack.database.password,
      dbSecret.password,
      ...Object.values(JSON.parse(edgiSecret) as Record<string, string>).filter((v) => v.length >= 16 && !v.startsWith('AKIA')),
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      INSIGHT_ERROR_CANARIES.password,
      INSIGHT_ERROR_CANARIES.accessKeyId.slice(4),
    ];
    const out = mkdtempSync(join(tmpdir(), 'askedgi-canary-'));
    const r = await cli(['run', '-c', join(dir, 'askedgi-doctor.yaml'), '-o', out, '--verbose']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+insight-log-errors/);
    expect(r.stdout).toContain('password=<redacted>');
    expect(r.stdout).toMatch(/WARN\s+plaintext-secrets/);
    const files = filesBelow(out);
    expect(files.some((f) => f.endsWith('.png'))).toBe(true);
    const everything = [r.stdout, r.stderr, ...files, ...files.filter((f) => !f.endsWith('.png') && !f.endsWith('.zip')).map((f) => readFileSync(f, 'utf8'))].join('\n');
    for (const canary of canaries) expect(everything, `canary ${canary.slice(0, 3)}…`).not.toContain(canary);
  });
});

describe('list and explain', () => {
  it('list --json has every built-in check with its step, severity, needs, permissions and remediation', async () => {
    const r = await cli(['list', '--json']);
    const rows = JSON.parse(r.stdout) as { id: string; step: number; source: string; permissions: string[]; remediation: string }[];
    expect(rows.map((x) => x.id)).toEqual(CHECKS.map((c) => c.id));
    expect(rows.every((x) => x.source === 'built-in' && x.remediation.length > 0)).toBe(true);
  });

  it('explain says what a check verifies, why, its step, how to fix it and its permissions', async () => {
    const r = await cli(['explain', 'insight-pins-latest-data']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('insight-pins-latest-data — Insight TASK_DEFINITION pins the latest ACTIVE Data revision ARN');
    expect(r.stdout).toMatch(/runbook step: 7 — Insight task definition/);
    expect(r.stdout).toMatch(/why: +The Insight service starts data services/);
    expect(r.stdout).toMatch(/permissions: +ecs:DescribeTaskDefinition/);
    expect(r.stdout).toMatch(/how to fix: +Set TASK_DEFINITION/);
  });
});

describe('usage and configuration errors exit 2 with path: message', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'askedgi-config-'));
  const write = (name: string, text: string) => {
    const p = join(tmp, name);
    writeFileSync(p, text);
    return p;
  };
  const valid = 'region: us-east-1\ncluster: c\nsecurityGroups: { elasticsearch: sg-1, rds: sg-2, efs: sg-3 }\nefs: { fileSystemId: fs-1 }\n';

  it('missing file', async () => {
    const r = await cli(['run', '-c', join(tmp, 'nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.yaml: invalid configuration\n\s+file not found/);
  });

  it('wrong type', async () => {
    const r = await cli(['run', '-c', write('type.yaml', valid + 'expect: { ports: { insight: "eight thousand" } }\n')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expect\.ports\.insight: .*expected number/i);
  });

  it('unknown key', async () => {
    const r = await cli(['run', '-c', write('key.yaml', valid + 'clustre: x\n')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('(root): unknown key(s) "clustre"');
  });

  it('malformed value and a secret written inline', async () => {
    const r = await cli(['run', '-c', write('bad.yaml', valid.replace('sg-2', 'rds-group') + 'database: { url: "mysql://u:p@h/db" }\n')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/securityGroups\.rds: expected a security group id/);
    expect(r.stderr).toMatch(/database\.url: expected an environment reference like env:NAME/);
  });

  it('invalid YAML names the line', async () => {
    const r = await cli(['run', '-c', write('yaml.yaml', 'region: [us-east-1\n')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line \d+, column \d+/);
  });

  it('unknown check id, unknown option, unknown format', async () => {
    const cfg = write('ok.yaml', valid);
    expect((await cli(['run', '-c', cfg, '--only', 'no-such-check'])).stderr).toMatch(/unknown check id\(s\): no-such-check/);
    expect((await cli(['run', '-c', cfg, '--only', 'no-such-check'])).code).toBe(2);
    expect((await cli(['run', '--bogus'])).code).toBe(2);
    expect((await cli(['run', '-c', cfg, '--format', 'pdf'])).code).toBe(2);
    expect((await cli(['explain', 'no-such-check'])).code).toBe(2);
  });

  it('no region anywhere', async () => {
    const r = await cli(['run', '-c', write('noregion.yaml', valid.replace('region: us-east-1\n', ''))], { AWS_REGION: '', AWS_DEFAULT_REGION: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/region: no region/);
  });
});
