import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { destroyClients, makeClients } from '../../src/aws/clients.js';
import { CHECKS } from '../../src/checks/index.js';
import { breakSandbox } from '../../src/sandbox/faults/index.js';
import { INSIGHT_ERROR_CANARIES } from '../../src/sandbox/faults/workspace.js';
import { cli } from '../support/cli.js';
import { closedPort, startHttp, startSilent, type LocalServer } from '../support/http-servers.js';
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
    // Node 20: the AWS SDK's own notice that its releases after January 2027 need Node 22 is true, so
    // it is shown, once. Node 22 and 24: no such warning.
    const sdkWarnings = r.stderr.match(/NodeVersionSupportWarning/g) ?? [];
    expect(sdkWarnings.length).toBe(Number(process.versions.node.split('.')[0]) < 22 ? 1 : 0);
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
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/<failure type="edgi-sg-ingress-elasticsearch\/missing-rule"/);
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
    expect(byId['browser-smoke'].findings[0]).toEqual({ status: 'skip', code: 'browser-smoke/smoke-disabled', fingerprint: 'browser-smoke/smoke-disabled', message: 'Browser smoke test not run: left out by --no-smoke.' });
    expect(byId['workspace-row'].findings[0]).toEqual({ status: 'skip', code: 'workspace-row/no-database', fingerprint: 'workspace-row/no-database', message: 'Database probe not run: left out by --no-db.' });
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
    expect(r.stdout).toMatch(/codes: +insight-pins-latest-data\/placeholder, insight-pins-latest-data\/wrong-family, /);
    expect(r.stdout).toMatch(/and, for any check: insight-pins-latest-data\/not-run, .*insight-pins-latest-data\/access-denied/);
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
    expect(r.stderr).toContain('(root): unknown key "clustre" (did you mean "cluster"?)');
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
    // An empty --only is a mistake, not "every check".
    const empty = await cli(['run', '-c', cfg, '--only', '']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^askedgi-doctor: expected one or more check ids, comma-separated; got ""$/m);
  });

  it('no region anywhere', async () => {
    const r = await cli(['run', '-c', write('noregion.yaml', valid.replace('region: us-east-1\n', ''))], { AWS_REGION: '', AWS_DEFAULT_REGION: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/region: no region/);
  });
});

/** stderr without the AWS SDK's NodeVersionSupportWarning (printed once on Node 20, see the first test). */
const withoutSdkNotice = (stderr: string) => stderr.replace(/\(node:\d+\) (?:Warning: )?NodeVersionSupportWarning:[\s\S]*?--trace-warnings[^\n]*\n/, '');

// Issue 11 A1/A4/A5: every run settles with its reports and a meaningful exit code.
describe('a run always ends with its reports and a meaningful exit code', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'askedgi-settle-'));
  const servers: LocalServer[] = [];
  const env = () => ({ AWS_ENDPOINT_URL: endpoint(), SMOKE_USER: 'u', SMOKE_PASSWORD: 'p' });
  const config = (name: string, baseUrl: string, extra = '') => {
    const p = join(tmp, `${name}.yaml`);
    writeFileSync(
      p,
      [
        'region: us-east-1',
        'cluster: c',
        'securityGroups: { elasticsearch: sg-1, rds: sg-2, efs: sg-3 }',
        'efs: { fileSystemId: fs-1 }',
        'http: { timeoutMs: 700, retries: 1 }',
        `smoke: { baseUrl: "${baseUrl}", username: env:SMOKE_USER, password: env:SMOKE_PASSWORD }`,
        extra,
      ].join('\n'),
    );
    return p;
  };
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  const tenants: [string, () => Promise<string>, RegExp][] = [
    ['answers 503', async () => {
      const s = await startHttp((_req, res) => res.writeHead(503).end('no healthy targets'));
      servers.push(s);
      return `${s.origin}/ovaledge`;
    }, /503/],
    ['refuses connections', async () => `http://127.0.0.1:${await closedPort()}/ovaledge`, /connection refused \(ECONNREFUSED\)/],
    ['accepts and never answers', async () => {
      const s = await startSilent();
      servers.push(s);
      return `${s.origin}/ovaledge`;
    }, /timed out after 700 ms/],
  ];
  for (const [what, start, reason] of tenants) {
    it(`a tenant URL that ${what}: run --only ovaledge-reachable fails the check with the reason, writes the reports and exits 1`, async () => {
      const out = mkdtempSync(join(tmp, 'out-'));
      const r = await cli(['run', '-c', config(what.replace(/\W+/g, '-'), await start()), '-o', out, '--only', 'ovaledge-reachable'], env());
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toMatch(/FAIL\s+ovaledge-reachable/);
      expect(r.stdout).toMatch(reason);
      const json = JSON.parse(readFileSync(join(out, 'askedgi-doctor.json'), 'utf8'));
      expect(json.results.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([['ovaledge-reachable', 'fail']]);
      expect(readdirSync(out).sort()).toEqual(['askedgi-doctor.html', 'askedgi-doctor.json', 'junit.xml']);
    });
  }

  it('a report that cannot be written (-o is a file): exit 2, one line naming it, the console report still printed', async () => {
    const s = await startHttp((_req, res) => res.writeHead(503).end());
    servers.push(s);
    const notADir = join(tmp, 'a-file');
    writeFileSync(notADir, 'x');
    const r = await cli(['run', '-c', config('unwritable', `${s.origin}/ovaledge`), '-o', notADir, '--only', 'ovaledge-reachable'], env());
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toMatch(/FAIL\s+ovaledge-reachable/);
    const lines = withoutSdkNotice(r.stderr).trim().split('\n');
    expect(lines).toEqual([expect.stringMatching(/^askedgi-doctor: cannot write report .*a-file\/askedgi-doctor\.json \((ENOTDIR|EEXIST)\)$/)]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a crash (a plugin throwing from a timer callback) exits 70, not 1, with one line and no report claimed', async () => {
    const plugin = join(tmp, 'crashing-plugin.mjs');
    writeFileSync(
      plugin,
      `export default { id: 'crashes', title: 'crashes', step: 9, severity: 'low', remediation: 'none', permissions: [],
        run() { setTimeout(() => { throw new Error('plugin bug'); }, 10); return new Promise((r) => setTimeout(() => r([]), 5000)); } };\n`,
    );
    const cfg = config('crash', 'http://127.0.0.1:9/ovaledge', `checks: { modules: [${JSON.stringify(plugin)}] }`);
    const r = await cli(['run', '-c', cfg, '-o', join(tmp, 'crash-out'), '--only', 'crashes'], env());
    expect(r.code, r.stderr).toBe(70);
    expect(r.stderr).toMatch(/^askedgi-doctor: unexpected error \(exit 70\), uncaught exception: Error: plugin bug/m);
    expect(r.stdout).toBe('');
  });

  it("an await that can never settle (nothing left to wake it) exits 70 with one line, not Node's silent 13", () => {
    const script = join(tmp, 'never.mts');
    writeFileSync(
      script,
      `import { installProcessGuards } from ${JSON.stringify(pathToFileURL(resolve(import.meta.dirname, '../../src/runtime.ts')).href)};\n` +
        `let settled = false;\ninstallProcessGuards(() => settled);\nawait new Promise(() => {});\nsettled = true;\n`,
    );
    let code = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: resolve(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    } catch (err) {
      code = (err as { status: number }).status;
      stderr = (err as { stderr: string }).stderr;
    }
    expect(code).toBe(70);
    expect(stderr).toBe('askedgi-doctor: unexpected error (exit 70): the command stopped while waiting on work that can never finish (a promise nothing resolves)\n');
  });

  it('a reader that closes the pipe (list | true): no EPIPE stack trace, a quiet exit 0', async () => {
    for (const args of [['list'], ['list', '--json'], ['iam-policy']]) {
      const r = await new Promise<{ code: number | null; stderr: string }>((done, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, '../../src/main.ts'), ...args], {
          cwd: resolve(import.meta.dirname, '../..'),
          env: { ...process.env, NO_COLOR: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        // The reader goes away before the CLI has written a byte (it takes far longer to start).
        child.stdout.destroy();
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
        child.once('error', reject);
        child.once('close', (code) => done({ code, stderr }));
      });
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.code, args.join(' ')).toBe(0);
    }
  });
});

// Issue 13 item 2: start-up loads what the command needs.
describe('start-up loads what a command needs, nothing more', () => {
  const root = resolve(import.meta.dirname, '../..');
  const tmp = mkdtempSync(join(tmpdir(), 'askedgi-startup-'));
  // An ESM resolve hook (node:module register) that logs every package the process imports.
  writeFileSync(
    join(tmp, 'hooks.mjs'),
    // writeSync: the hooks run on their own thread (Node 22+), whose buffered writes can be lost at exit.
    `import { writeSync } from 'node:fs';
    export async function resolve(spec, ctx, next) {
      const r = await next(spec, ctx);
      const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(r.url);
      if (m) writeSync(2, 'LOADED ' + m[1] + '\\n');
      return r;
    }\n`,
  );
  writeFileSync(join(tmp, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(tmp, 'hooks.mjs')).href)});\n`);
  const packagesLoaded = (args: string[]) =>
    new Promise<{ code: number | null; packages: string[] }>((done, reject) => {
      const child = spawn(process.execPath, ['--import', join(tmp, 'register.mjs'), '--import', 'tsx', join(root, 'src/main.ts'), ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      child.once('error', reject);
      child.once('close', (code) => done({ code, packages: [...new Set([...stderr.matchAll(/^LOADED (\S+)$/gm)].map((m) => m[1]!))].sort() }));
    });
  const HEAVY = /^(@aws-sdk\/|@smithy\/|playwright-core$|mysql2$|undici$|zod$|yaml$)/;

  for (const args of [['--version'], ['--help'], ['list'], ['explain', 'caller-identity'], ['iam-policy']]) {
    it(`${args.join(' ')} loads no AWS client, browser, database driver, HTTP client or config parser`, async () => {
      const r = await packagesLoaded(args);
      expect(r.code).toBe(0);
      expect(r.packages).toContain('commander'); // the hook sees imports at all
      expect(r.packages.filter((p) => HEAVY.test(p))).toEqual([]);
    });
  }

  it('run loads the AWS SDK (the control: the hook sees it when it is imported)', async () => {
    const cfg = join(tmp, 'cfg.yaml');
    writeFileSync(cfg, 'region: us-east-1\ncluster: c\nsecurityGroups: { elasticsearch: sg-1, rds: sg-2, efs: sg-3 }\nefs: { fileSystemId: fs-1 }\n');
    const r = await packagesLoaded(['run', '-c', cfg, '--only', 'caller-identity', '-f', 'console', '--endpoint', endpoint()]);
    expect(r.packages.some((p) => p.startsWith('@aws-sdk/'))).toBe(true);
    expect(r.packages).not.toContain('playwright-core');
  });

  it('the built CLI fills the compile cache in ASKEDGI_DOCTOR_CACHE_DIR on Node >= 22.1, and Node 20 runs without one', () => {
    const cache = join(tmp, 'cache');
    const out = execFileSync(process.execPath, [join(root, 'bin/askedgi-doctor.js'), '--version'], { env: { ...process.env, ASKEDGI_DOCTOR_CACHE_DIR: cache }, encoding: 'utf8' });
    expect(out.trim()).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    const supported = major > 22 || (major === 22 && minor >= 1);
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [e.name]));
    if (supported) expect(files(join(cache, 'compile-cache')).length).toBeGreaterThan(0);
    else expect(() => statSync(cache)).toThrow();
  });
});
