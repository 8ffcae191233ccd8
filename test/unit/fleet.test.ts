// The fleet without AWS: the fleet file (schema, generated JSON Schema, errors that say what, where and
// what was expected), the per-target config merge, sharding, iam-policy --fleet, the fleet reports
// (JUnit valid against both schemas, HTML without scripts, Markdown) and fleet merge's refusals.
// test/integration/fleet.test.ts runs the fleet for real against several moto accounts.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { EXIT } from '../../src/errors.js';
import { fleetPolicies, trustPrincipal } from '../../src/fleet/iam.js';
import { deepMerge, defaultSessionName, FleetFileError, loadFleet } from '../../src/fleet/load.js';
import { mergeFleet } from '../../src/fleet/merge.js';
import { FLEET_FILES, FLEET_SUMMARY_VERSION, zeroCounts, type FleetSummary, type TargetOutcome } from '../../src/fleet/model.js';
import { renderFleetHtml, renderFleetMarkdown, renderFleetReports } from '../../src/fleet/reports.js';
import { FLEET_SCHEMA_FILE, renderFleetJsonSchema } from '../../src/fleet/schema.js';
import { inShard, parseShard, shardOf } from '../../src/fleet/shard.js';
import { REPORT_SCHEMA_VERSION, type CheckResult, type Report } from '../../src/model.js';
import { validateJunit } from '../support/junit-schema.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'askedgi-fleet-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE = ['region: us-east-1', 'cluster: base-cluster', 'env: prod', 'securityGroups: { elasticsearch: sg-0a, rds: sg-0b, efs: sg-0c }', 'efs: { fileSystemId: fs-0d }', 'expect: { ports: { mysql: 3307 } }'].join('\n');
writeFileSync(join(dir, 'base.yaml'), `${BASE}\n`);

const target = (name: string, account: string, extra: Record<string, unknown> = {}) => ({ name, accountId: account, region: 'us-east-1', roleArn: `arn:aws:iam::${account}:role/AskEdgiDoctor`, ...extra });

let n = 0;
function fleetFile(doc: unknown): string {
  const file = join(dir, `fleet-${(n += 1)}.yaml`);
  writeFileSync(file, typeof doc === 'string' ? doc : stringify(doc));
  return file;
}

async function problems(doc: unknown): Promise<string> {
  const err = await loadFleet(fleetFile(doc)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FleetFileError);
  return (err as FleetFileError).message;
}

describe('fleet file', () => {
  it('the committed JSON Schema is what `npm run fleet-schema` writes, and it is shipped', () => {
    expect(readFileSync(join(ROOT, FLEET_SCHEMA_FILE), 'utf8')).toBe(renderFleetJsonSchema());
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[]; exports: Record<string, string>; scripts: Record<string, string> };
    expect(pkg.files).toContain(FLEET_SCHEMA_FILE);
    expect(pkg.exports['./fleet.schema.json']).toBe(`./${FLEET_SCHEMA_FILE}`);
    expect(pkg.scripts['fleet-schema']).toBeDefined();
  });

  it('examples/fleet.yaml loads, every target resolved over examples/askedgi-doctor.yaml, and the JSON Schema accepts it', async () => {
    const file = join(ROOT, 'examples/fleet.yaml');
    const fleet = await loadFleet(file);
    expect(fleet.targets.map((t) => [t.name, t.cfg.accountId, t.cfg.region, t.cfg.cluster])).toEqual([
      ['acme-prod', '111111111111', 'us-east-1', 'acme-askedgi'],
      ['globex-prod', '222222222222', 'eu-west-1', 'globex-askedgi'],
      ['initech-uat', '333333333333', 'us-east-1', 'initech-askedgi'],
    ]);
    expect(fleet.targets.map((t) => t.sessionName)).toEqual(['askedgi-doctor-OvalEdgeFleetOperator', 'askedgi-doctor-OvalEdgeFleetOperator', 'askedgi-doctor-uat-review']);
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, FLEET_SCHEMA_FILE), 'utf8')) as object);
    expect(validate(parse(readFileSync(file, 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ config: 'a.yaml', targets: [{ ...target('x', '111111111111'), role: 'typo' }] })).toBe(false);
  });

  it('merges each target\'s overrides over the base: objects key by key, values and lists replaced; account and region from the target', async () => {
    const fleet = await loadFleet(fleetFile({ config: 'base.yaml', targets: [target('a', '111111111111', { region: 'eu-west-1', config: { cluster: 'a-cluster', securityGroups: { rds: 'sg-1b' }, expect: { ports: { nfs: 2050 } } } }), target('b', '222222222222')] }));
    const [a, b] = fleet.targets;
    expect(a!.cfg.cluster).toBe('a-cluster');
    expect(a!.cfg.region).toBe('eu-west-1');
    expect(a!.cfg.accountId).toBe('111111111111');
    expect(a!.cfg.securityGroups).toEqual({ elasticsearch: 'sg-0a', rds: 'sg-1b', efs: 'sg-0c' });
    expect(a!.cfg.expect.ports.mysql).toBe(3307);
    expect(a!.cfg.expect.ports.nfs).toBe(2050);
    expect(b!.cfg.cluster).toBe('base-cluster');
    expect(b!.cfg.securityGroups.rds).toBe('sg-0b');
    expect(deepMerge({ a: [1, 2], b: { c: 1 } }, { a: [3], b: { d: 2 } })).toEqual({ a: [3], b: { c: 1, d: 2 } });
    expect(b!.sessionName).toBe('askedgi-doctor');
    expect(defaultSessionName('arn:aws:sts::999999999999:assumed-role/Ops/jane@example.com')).toBe('askedgi-doctor-jane@example.com');
    expect(defaultSessionName(`arn:aws:iam::999999999999:user/${'x'.repeat(80)}`)).toHaveLength(64);
  });

  it('says what is wrong, where, and what was expected', async () => {
    expect(await problems({ config: 'base.yaml', targets: [{ ...target('a', '111111111111'), roleARN: 'x' }] })).toMatch(/targets\[0\]: unknown key "roleARN" \(did you mean "roleArn"\?\)/);
    expect(await problems({ config: 'base.yaml', targets: [target('a', '11111')] })).toMatch(/targets\[0\]\.accountId: expected a 12-digit AWS account id/);
    expect(await problems({ config: 'base.yaml', targets: [{ ...target('a', '111111111111'), roleArn: 'AskEdgiDoctor' }] })).toMatch(/targets\[0\]\.roleArn: expected an IAM role ARN like arn:aws:iam::111111111111:role\/AskEdgiDoctor/);
    expect(await problems({ config: 'base.yaml', targets: [target('a', '111111111111', { roleArn: 'arn:aws:iam::222222222222:role/R' })] })).toMatch(/targets\[0\] \(a\)\.roleArn: the role is in account 222222222222, but accountId is 111111111111/);
    expect(await problems({ config: 'base.yaml', targets: [target('a', '111111111111'), target('a', '222222222222')] })).toMatch(/targets\[1\]\.name: "a" is already the name of targets\[0\]/);
    expect(await problems({ config: 'base.yaml', targets: [] })).toMatch(/targets: expected at least one target/);
    expect(await problems({ targets: [target('a', '111111111111')] })).toMatch(/config: the required key "config" is missing/);
    expect(await problems({ config: 'base.yaml', targets: [target('../a', '111111111111')] })).toMatch(/targets\[0\]\.name: expected a name of letters, digits/);
    expect(await problems({ config: 'base.yaml', targets: [target('a', '111111111111', { config: { securityGroups: { rds: 'not-a-group' } } })] })).toMatch(/targets\[0\] \(a\): securityGroups\.rds: expected a security group id like sg-0abc123 \(base base\.yaml with the target's config overrides\)/);
    expect(await problems('config: base.yaml\ntargets: [\n')).toMatch(/invalid fleet file\n {2}line \d+, column \d+:/);
  });

  it('a base config that does not exist is named as such', async () => {
    await expect(loadFleet(fleetFile({ config: 'missing.yaml', targets: [target('a', '111111111111')] }))).rejects.toThrow(/missing\.yaml: invalid configuration\n {2}file not found/);
  });

  it('a fleet file error is exit 2 from the CLI, before anything runs', async () => {
    const file = fleetFile({ config: 'base.yaml', targets: [{ ...target('a', '111111111111'), region: 'mars-1' }] });
    const err: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
    try {
      expect(await main(['node', 'askedgi-doctor', 'fleet', 'run', '-f', file, '-o', join(dir, 'never')])).toBe(EXIT.usage);
      expect(await main(['node', 'askedgi-doctor', 'fleet', 'run', '-f', file, '--shard', '3/2'])).toBe(EXIT.usage);
      expect(await main(['node', 'askedgi-doctor', 'fleet', 'run', '-f', file, '--concurrency', '0'])).toBe(EXIT.usage);
      expect(await main(['node', 'askedgi-doctor', 'fleet', 'run', '-f', file, '--profile', 'no such profile'])).toBe(EXIT.usage);
    } finally {
      process.stderr.write = write;
    }
    expect(err.join('')).toMatch(/invalid fleet file\n {2}targets\[0\]\.region: expected an AWS region like us-east-1/);
    expect(err.join('')).toContain('--shard: expected i/n with 1 <= i <= n');
    expect(err.join('')).toContain('--concurrency: expected a whole number from 1 to 64');
    expect(err.join('')).toContain('--profile: not a profile name');
  });
});

describe('--shard i/n', () => {
  const names = Array.from({ length: 200 }, (_, i) => ({ name: `customer-${i}` }));

  it('splits the targets into disjoint shards that cover them all, stably by name', () => {
    const shards = [1, 2, 3, 4].map((i) => inShard(names, { index: i, count: 4 }));
    expect(shards.flat().map((t) => t.name).sort()).toEqual(names.map((t) => t.name).sort());
    for (const s of shards) expect(s.length).toBeGreaterThan(25);
    // A target's shard depends on its name only: not on the order of the file or on the other targets.
    expect(inShard([...names].reverse(), { index: 2, count: 4 }).map((t) => t.name).sort()).toEqual(shards[1]!.map((t) => t.name).sort());
    expect(inShard([...names, { name: 'new-customer' }], { index: 3, count: 4 }).filter((t) => t.name !== 'new-customer')).toEqual(shards[2]);
    expect(shardOf('customer-7', 4)).toBe(shardOf('customer-7', 4));
  });

  it('parses i/n and refuses anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '2', 'a/b', '1/0', '-1/2']) expect(() => parseShard(bad), bad).toThrow(/--shard: expected i\/n/);
  });
});

describe('iam-policy --fleet', () => {
  it('the operator may assume only the listed roles; each role trusts the operator, with its ExternalId, and grants the run policy', async () => {
    const fleet = await loadFleet(join(ROOT, 'examples/fleet.yaml'));
    const p = fleetPolicies(fleet);
    expect(p.operatorPolicy.Statement).toEqual([{ Sid: 'AssumeAskEdgiDoctorRoles', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: fleet.targets.map((t) => t.roleArn).sort() }]);
    const acme = p.roles.find((r) => r.target === 'acme-prod')!;
    expect(acme.trustPolicy.Statement[0]).toEqual({ Sid: 'AskEdgiDoctorOperator', Effect: 'Allow', Principal: { AWS: fleet.operator }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'ovaledge-acme-7f3c' } } });
    expect(p.roles.find((r) => r.target === 'initech-uat')!.trustPolicy.Statement[0]!.Condition).toBeUndefined();
    const actions = acme.permissionsPolicy.Statement.flatMap((s) => s.Action);
    expect(actions).toContain('sts:GetCallerIdentity');
    expect(actions.filter((a) => !/^[a-z0-9-]+:(Describe|List|Get|Filter|Head|SimulatePrincipalPolicy)/.test(a))).toEqual([]);
  });

  it('needs the operator, and trusts an assumed-role operator through its role', async () => {
    const fleet = await loadFleet(fleetFile({ config: 'base.yaml', targets: [target('a', '111111111111')] }));
    expect(() => fleetPolicies(fleet)).toThrow(/needs "operator:" in the fleet file/);
    expect(trustPrincipal('arn:aws:sts::999999999999:assumed-role/Ops/jane')).toBe('arn:aws:iam::999999999999:role/Ops');
    expect(trustPrincipal('arn:aws:iam::999999999999:user/jane')).toBe('arn:aws:iam::999999999999:user/jane');
  });
});

// A small report: one check per status, across two steps.
function report(account: string): Report {
  const r = (id: string, step: number, status: CheckResult['status'], message: string): CheckResult => ({ id, title: `${id} title`, step, severity: 'high', status, findings: [{ status, message }], remediation: 'Fix it.', durationMs: 12 });
  const results = [r('caller-identity', 0, 'pass', 'ok.'), r('s3-bucket-cors', 3, 'fail', 'No PUT rule <script>alert(1)</script> & "quotes".'), r('s3-bucket-name', 3, 'warn', 'Hmm.'), r('bucket-x', 3, 'skip', 'Not here.'), r('bucket-y', 3, 'error', 'Denied.'), r('bucket-z', 3, 'waived', 'Accepted.')];
  const summary = { pass: 1, fail: 1, warn: 1, error: 1, skip: 1, waived: 1 };
  return { schemaVersion: REPORT_SCHEMA_VERSION, tool: { name: 'askedgi-doctor', version: '0.1.0', node: 'v22' }, startedAt: '2026-12-02T03:00:00.000Z', target: { region: 'us-east-1', account, cluster: 'c' }, results, summary, stats: { apiCalls: {}, durationMs: 100 } };
}

function outcome(name: string, extra: Partial<TargetOutcome> = {}): TargetOutcome {
  return { name, accountId: '111111111111', region: 'us-east-1', roleArn: 'arn:aws:iam::111111111111:role/R', state: 'checked', counts: zeroCounts(), failing: [], steps: {}, durationMs: 1000, ...extra };
}

function summaryOf(targets: TargetOutcome[], extra: Partial<FleetSummary> = {}): FleetSummary {
  return { fleetSummaryVersion: FLEET_SUMMARY_VERSION, tool: { name: 'askedgi-doctor', version: '0.1.0' }, startedAt: '2026-12-02T03:00:00.000Z', durationMs: 5000, failOn: 'fail', targets, ...extra };
}

function writeFleetOut(out: string, summary: FleetSummary): void {
  mkdirSync(out, { recursive: true });
  for (const t of summary.targets) {
    if (t.reportDir === undefined) continue;
    mkdirSync(join(out, t.reportDir), { recursive: true });
    writeFileSync(join(out, t.reportDir, 'askedgi-doctor.json'), JSON.stringify(report(t.accountId)));
    writeFileSync(join(out, t.reportDir, 'askedgi-doctor.html'), '<!doctype html>');
  }
  writeFileSync(join(out, FLEET_FILES.json), JSON.stringify(summary));
}

const broken = outcome('globex<b>', { reportDir: 'globex', counts: { ...zeroCounts(), pass: 1, fail: 1 }, failing: ['s3-bucket-cors'], steps: { '0': 'pass', '3': 'fail' } });
const denied = outcome('hooli', { state: 'assume-failed', reason: 'sts:AssumeRole on arn:aws:iam::444444444444:role/R: AccessDenied: <not> authorized & "no"' });

describe('fleet reports', () => {
  it('JUnit: one suite per target and step, names prefixed by the target, a suite for the target that has no report; valid against both schemas', () => {
    const out = join(dir, 'junit');
    const s = summaryOf([outcome('acme', { reportDir: 'acme', steps: { '0': 'pass' } }), denied]);
    writeFleetOut(out, s);
    const xml = renderFleetReports(s, out)[FLEET_FILES.junit]!;
    writeFileSync(join(out, 'fleet-junit.xml'), xml);
    validateJunit(join(out, 'fleet-junit.xml'));
    expect(xml).toContain('name="acme: askedgi-doctor step 0: Identity and region"');
    expect(xml).toContain('name="acme: askedgi-doctor step 3: S3 bucket"');
    expect(xml).toMatch(/<testcase name="acme: s3-bucket-cors: s3-bucket-cors title" classname="askedgi-doctor\.acme\.step3"/);
    expect(xml).toMatch(/<testsuite name="hooli: askedgi-doctor target" tests="1" failures="0" errors="1"/);
    expect(xml).toContain('AccessDenied: &lt;not&gt; authorized &amp; &quot;no&quot;');
    // Suite ids are unique across targets.
    const ids = [...xml.matchAll(/<testsuite [^>]*id="(\d+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('HTML: a targets × steps grid linking each cell to the step in the target report; escaped; the run report\'s CSP; no script', () => {
    const html = renderFleetHtml(summaryOf([broken, denied]));
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"`);
    expect(html).not.toMatch(/<script|\son[a-z]+=|javascript:/i);
    expect(html).toContain('<a class="fail" href="globex/askedgi-doctor.html#step-3"');
    expect(html).toContain('globex&lt;b&gt;');
    expect(html).toContain('AccessDenied: &lt;not&gt; authorized &amp; &quot;no&quot;');
    expect(html).toContain('<strong>2 failing</strong>');
  });

  it('Markdown: a row per target with its counts, failing ids or reason; escaped', () => {
    const md = renderFleetMarkdown(summaryOf([broken, denied, outcome('fine', { reportDir: 'fine' })]));
    expect(md).toContain('3 targets, 2 failing (--fail-on fail)');
    expect(md).toMatch(/\| \[globex&lt;b&gt;\]\(globex\/askedgi-doctor\.html\) \| 111111111111 \| us-east-1 \| ❌ failing \| 1 \| 1 \|.*`s3-bucket-cors`/);
    expect(md).toMatch(/\| hooli \| 111111111111 \| us-east-1 \| ❌ cannot assume role \| 0 \|.*\| sts:AssumeRole on arn:aws:iam::444444444444:role\/R: AccessDenied: &lt;not&gt; authorized &amp; "no" \|/);
    expect(md).toMatch(/\| \[fine\]\(fine\/askedgi-doctor\.html\) .*✅ healthy/);
  });

  it('--fail-on none: a target that cannot be assumed does not fail the fleet; a target with a failing check does', () => {
    expect(renderFleetMarkdown(summaryOf([denied], { failOn: 'none' }))).toContain('0 failing');
    expect(renderFleetMarkdown(summaryOf([denied], { failOn: 'fail' }))).toContain('1 failing');
    expect(renderFleetMarkdown(summaryOf([broken], { failOn: 'none' }))).toContain('1 failing');
  });
});

describe('fleet merge', () => {
  it('combines shard outputs, copies the target folders, sorts by name', () => {
    const a = join(dir, 'merge-a');
    const b = join(dir, 'merge-b');
    writeFleetOut(a, summaryOf([outcome('zeta', { reportDir: 'zeta' })], { shards: [{ index: 1, count: 2 }] }));
    writeFleetOut(b, summaryOf([outcome('alpha', { reportDir: 'alpha' }), denied], { shards: [{ index: 2, count: 2 }], startedAt: '2026-12-02T03:00:10.000Z' }));
    const out = join(dir, 'merged');
    const m = mergeFleet([a, b], out);
    expect(m.targets.map((t) => t.name)).toEqual(['alpha', 'hooli', 'zeta']);
    expect(m.shards).toEqual([{ index: 1, count: 2 }, { index: 2, count: 2 }]);
    expect(m.durationMs).toBe(15_000);
    expect(readFileSync(join(out, 'zeta', 'askedgi-doctor.json'), 'utf8')).toContain('"account":"111111111111"');
  });

  it('refuses a missing shard, a split that differs, a target in two inputs and a folder that is no fleet output', () => {
    const one = join(dir, 'only-1');
    writeFleetOut(one, summaryOf([outcome('a')], { shards: [{ index: 1, count: 3 }] }));
    expect(() => mergeFleet([one], join(dir, 'x'))).toThrow(/shards 2\/3, 3\/3 missing from the inputs/);
    const other = join(dir, 'other-split');
    writeFleetOut(other, summaryOf([outcome('b')], { shards: [{ index: 2, count: 2 }] }));
    expect(() => mergeFleet([one, other], join(dir, 'x'))).toThrow(/split differently/);
    const dup1 = join(dir, 'dup-1');
    const dup2 = join(dir, 'dup-2');
    writeFleetOut(dup1, summaryOf([outcome('same')]));
    writeFleetOut(dup2, summaryOf([outcome('same')]));
    expect(() => mergeFleet([dup1, dup2], join(dir, 'x'))).toThrow(/target same is in both/);
    expect(() => mergeFleet([join(dir, 'nothing-here')], join(dir, 'x'))).toThrow(/no askedgi-doctor-fleet\.json/);
  });
});
