// fleet run for real in moto: moto serves several accounts (a role assumed in another account id
// lands in that account), so the sandbox is provisioned into three customer accounts (one broken),
// and the fleet runs from a fourth (moto's default account) through sts:AssumeRole, as the operator
// would. A fourth target's AssumeRole is refused by the fault proxy with STS's own AccessDenied
// answer: it is reported with that reason and the other targets still run.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetCredentials } from '../../src/fleet/assume.js';
import { FLEET_FILES, type FleetSummary } from '../../src/fleet/model.js';
import type { Report } from '../../src/model.js';
import { ensureEmulatorCredentials, resetMoto } from '../../src/sandbox/emulator.js';
import { breakSandbox } from '../../src/sandbox/faults/index.js';
import { provisionSandbox, SANDBOX_CONFIG_FILE } from '../../src/sandbox/provision.js';
import { cli } from '../support/cli.js';
import { AWS_ERROR, startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { validateJunit } from '../support/junit-schema.js';
import { CLEAN_STATUS, endpoint } from '../support/live.js';

const REGION = 'us-east-1';
const ACCOUNTS = { 'acme-prod': '111111111111', 'globex-prod': '222222222222', 'initech-uat': '333333333333' } as const;
const DENIED = { name: 'hooli-prod', accountId: '444444444444' };
const OPERATOR = 'arn:aws:iam::123456789012:role/OvalEdgeFleetOperator';
const roleArn = (account: string) => `arn:aws:iam::${account}:role/AskEdgiDoctor`;
const DENIAL = `User: arn:aws:sts::123456789012:assumed-role/OvalEdgeFleetOperator/ci is not authorized to perform: sts:AssumeRole on resource: ${roleArn(DENIED.accountId)}`;

const dir = mkdtempSync(join(tmpdir(), 'askedgi-fleet-'));
let proxy: FaultProxy;
let fleetFile: string;
/** Every AssumeRole request the fleet sent (form parameters). */
const assumed: URLSearchParams[] = [];

beforeAll(async () => {
  ensureEmulatorCredentials();
  await resetMoto(endpoint());
  // One sandbox per customer account, each provisioned through a role assumed into that account.
  const targets = [];
  for (const [name, accountId] of Object.entries(ACCOUNTS)) {
    const credentials = targetCredentials({ roleArn: `arn:aws:iam::${accountId}:role/Provisioner`, sessionName: 'provision', region: REGION }, { endpoint: endpoint() });
    const outDir = join(dir, 'sandboxes', name);
    const state = await provisionSandbox({ endpoint: endpoint(), region: REGION, outDir, credentials });
    expect(state.accountId).toBe(accountId);
    if (name === 'globex-prod') await breakSandbox('s3-cors-removed', { endpoint: endpoint(), outDir, credentials });
    const cfg = parse(readFileSync(join(outDir, SANDBOX_CONFIG_FILE), 'utf8')) as Record<string, unknown>;
    targets.push({ name, accountId, region: REGION, roleArn: roleArn(accountId), ...(name === 'acme-prod' ? { externalId: 'ovaledge-acme' } : {}), config: { securityGroups: cfg.securityGroups, efs: cfg.efs } });
  }
  targets.push({ name: DENIED.name, accountId: DENIED.accountId, region: REGION, roleArn: roleArn(DENIED.accountId), config: {} });
  // The base config: the first customer's (the others override their ids).
  writeFileSync(join(dir, 'base.yaml'), readFileSync(join(dir, 'sandboxes', 'acme-prod', SANDBOX_CONFIG_FILE)));
  fleetFile = join(dir, 'fleet.yaml');
  writeFileSync(fleetFile, stringify({ config: 'base.yaml', operator: OPERATOR, targets }));
  // STS refuses the fourth role as AWS does (moto assumes any role).
  proxy = await startFaultProxy(endpoint(), (req) => {
    if (req.operation !== 'AssumeRole') return undefined;
    const body = new URLSearchParams(req.body.toString('utf8'));
    assumed.push(body);
    return body.get('RoleArn') === roleArn(DENIED.accountId) ? AWS_ERROR.query(403, 'AccessDenied', DENIAL) : undefined;
  });
}, 180_000);

afterAll(async () => {
  await proxy?.close();
  rmSync(dir, { recursive: true, force: true });
});

const readSummary = (out: string) => JSON.parse(readFileSync(join(out, FLEET_FILES.json), 'utf8')) as FleetSummary;
const flags = () => ['--endpoint', proxy.endpoint, '--no-smoke', '--no-db'];

describe('fleet run across accounts (moto)', () => {
  let out: string;
  let result: Awaited<ReturnType<typeof cli>>;
  let summary: FleetSummary;

  beforeAll(async () => {
    out = join(dir, 'out');
    result = await cli(['fleet', 'run', '-f', fleetFile, '-o', out, '--concurrency', '2', ...flags()]);
    summary = readSummary(out);
  }, 240_000);

  it('exits 1 because one target fails and one cannot be assumed; every target is in the summary', () => {
    expect(result.code, result.stderr).toBe(1);
    expect(summary.targets.map((t) => t.name)).toEqual([...Object.keys(ACCOUNTS), DENIED.name]);
    expect(summary.operator).toBe(OPERATOR);
  });

  it('reads each customer account through its assumed role: each report names its own account', () => {
    for (const [name, account] of Object.entries(ACCOUNTS)) {
      const report = JSON.parse(readFileSync(join(out, name, 'askedgi-doctor.json'), 'utf8')) as Report;
      expect(report.target.account).toBe(account);
      const caller = report.results.find((r) => r.id === 'caller-identity');
      expect(JSON.stringify(caller?.findings)).toContain(`arn:aws:sts::${account}:assumed-role/AskEdgiDoctor/askedgi-doctor-OvalEdgeFleetOperator`);
      for (const f of ['askedgi-doctor.html', 'junit.xml']) expect(existsSync(join(out, name, f)), `${name}/${f}`).toBe(true);
    }
  });

  it('the healthy accounts pass and the broken one fails exactly the check its fault breaks', () => {
    const byName = Object.fromEntries(summary.targets.map((t) => [t.name, t]));
    for (const name of ['acme-prod', 'initech-uat']) {
      expect(byName[name]!.state).toBe('checked');
      expect(byName[name]!.failing, name).toEqual([]);
      expect(byName[name]!.counts.pass).toBeGreaterThan(30);
    }
    expect(byName['globex-prod']!.state).toBe('checked');
    expect(byName['globex-prod']!.failing).toEqual(['s3-bucket-cors']);
    expect(byName['globex-prod']!.steps['3']).toBe('fail');
    expect(byName['acme-prod']!.steps['3']).toBe('pass');
    // What the clean sandbox does not pass outside a VPC is the same in every account.
    const report = JSON.parse(readFileSync(join(out, 'acme-prod', 'askedgi-doctor.json'), 'utf8')) as Report;
    for (const [id, status] of Object.entries(CLEAN_STATUS)) expect(report.results.find((r) => r.id === id)?.status).toBe(status);
  });

  it('reports the target whose role cannot be assumed with the STS reason, and still ran the others', () => {
    const denied = summary.targets.find((t) => t.name === DENIED.name)!;
    expect(denied.state).toBe('assume-failed');
    expect(denied.reason).toContain('AccessDenied');
    expect(denied.reason).toContain(`not authorized to perform: sts:AssumeRole on resource: ${roleArn(DENIED.accountId)}`);
    expect(denied.reportDir).toBeUndefined();
    expect(existsSync(join(out, DENIED.name))).toBe(false);
    expect(result.stderr).toContain(`${DENIED.name} (${DENIED.accountId} us-east-1): cannot assume role`);
    expect(proxy.injected).toBeGreaterThanOrEqual(1);
  });

  it('assumes each role once per target, with the operator in the session name and the ExternalId a target sets', () => {
    const byRole = (account: string) => assumed.filter((b) => b.get('RoleArn') === roleArn(account));
    for (const account of [...Object.values(ACCOUNTS), DENIED.accountId]) expect(byRole(account), account).toHaveLength(1);
    expect(byRole(ACCOUNTS['acme-prod'])[0]!.get('ExternalId')).toBe('ovaledge-acme');
    expect(byRole(ACCOUNTS['globex-prod'])[0]!.get('ExternalId')).toBeNull();
    for (const b of assumed) expect(b.get('RoleSessionName')).toBe('askedgi-doctor-OvalEdgeFleetOperator');
  });

  it('writes a Markdown table linking each checked target to its report, with the STS reason for the other', () => {
    const md = readFileSync(join(out, FLEET_FILES.markdown), 'utf8');
    expect(md).toContain('[acme-prod](acme-prod/askedgi-doctor.html)');
    expect(md).toMatch(/hooli-prod.*cannot assume role.*AccessDenied/);
  });

  it('writes a fleet JUnit file valid against both schemas, one suite per target and step, named by target', () => {
    const file = join(out, FLEET_FILES.junit);
    validateJunit(file);
    const xml = readFileSync(file, 'utf8');
    expect(xml).toContain('name="globex-prod: askedgi-doctor step 3: S3 bucket"');
    expect(xml).toMatch(/<testcase name="globex-prod: s3-bucket-cors: [^"]*"[^>]*>\s*<failure/);
    expect(xml).toMatch(/<testsuite name="hooli-prod: askedgi-doctor target"[^>]*errors="1"/);
    expect(xml).toContain('AccessDenied');
  });

  it('writes the HTML overview: targets × steps, each cell linking to the step in the target report, no scripts', () => {
    const html = readFileSync(join(out, FLEET_FILES.html), 'utf8');
    expect(html).toContain('<meta http-equiv="Content-Security-Policy"');
    expect(html).not.toMatch(/<script|\son[a-z]+=/i);
    expect(html).toContain('href="globex-prod/askedgi-doctor.html#step-3"');
    expect(html).toMatch(/<a class="fail" href="globex-prod\/askedgi-doctor.html#step-3"/);
    const target = readFileSync(join(out, 'globex-prod', 'askedgi-doctor.html'), 'utf8');
    expect(target).toContain('id="step-3"');
  });

  it('--shard i/n splits the targets and fleet merge combines the shard outputs into the same fleet result', async () => {
    const shards = [1, 2].map((i) => join(dir, `shard-${i}`));
    const runs = await Promise.all(shards.map((o, i) => cli(['fleet', 'run', '-f', fleetFile, '-o', o, '--shard', `${i + 1}/2`, ...flags()])));
    const names = shards.map((o) => readSummary(o).targets.map((t) => t.name));
    expect(names.flat().sort()).toEqual([...Object.keys(ACCOUNTS), DENIED.name].sort());
    expect(names[0]!.filter((n) => names[1]!.includes(n))).toEqual([]);
    for (const r of runs) expect([0, 1]).toContain(r.code);
    const merged = join(dir, 'merged');
    const m = await cli(['fleet', 'merge', ...shards, '-o', merged]);
    expect(m.code, m.stderr).toBe(1);
    const s = readSummary(merged);
    expect(s.shards).toEqual([{ index: 1, count: 2 }, { index: 2, count: 2 }]);
    const brief = (x: FleetSummary) => x.targets.map((t) => [t.name, t.state, t.failing]).sort();
    expect(brief(s)).toEqual(brief(summary));
    // The merged folder stands alone: every checked target's reports were copied in.
    for (const name of Object.keys(ACCOUNTS)) expect(existsSync(join(merged, name, 'askedgi-doctor.html'))).toBe(true);
    validateJunit(join(merged, FLEET_FILES.junit));
    // One shard alone is refused: the other's output is missing.
    const partial = await cli(['fleet', 'merge', shards[0]!, '-o', join(dir, 'partial')]);
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain('shard 2/2 missing');
  }, 240_000);
});
