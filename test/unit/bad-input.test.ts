// Issue 11 D: bad input gets one line (a ConfigError problem or one `error` finding), never a crash,
// a skip or a pass.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { loadConfig, MAX_ALIAS_COUNT } from '../../src/config/load.js';
import { loadPluginChecks } from '../../src/engine/plugins.js';
import { runChecks } from '../../src/engine/runner.js';
import { ConfigError } from '../../src/errors.js';
import { FixtureInventory } from '../../src/inventory/fixture.js';
import { stringify } from 'yaml';
import { baseConfig, config, healthy } from '../support/fixture-deployment.js';

const dir = mkdtempSync(join(tmpdir(), 'askedgi-bad-input-'));
const configFile = join(dir, 'askedgi-doctor.yaml');

function configProblems(text: string): string[] {
  const file = join(dir, `c-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  try {
    loadConfig(file, { env: { AWS_REGION: 'us-east-1' } });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('config: a YAML alias bomb is refused, bounded', () => {
  it('nine levels of nine aliases each: one problem line, no expansion, no crash', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const t0 = performance.now();
    const problems = configProblems(`${levels.join('\n')}\n`);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(problems).toEqual([`too many YAML aliases (more than ${MAX_ALIAS_COUNT} expansions): refused as a resource exhaustion ("alias bomb")`]);
  });

  it('a config with a few honest aliases still loads', () => {
    const base = baseConfig() as Record<string, unknown>;
    const text = `${stringify({ ...base, cluster: undefined })}cluster: &c ${String(base.cluster)}\ncheckAlias: *c\n`;
    // The schema refuses the unknown key, not the alias bound: the aliases were expanded.
    expect(configProblems(text)).toEqual([expect.stringMatching(/^\(root\): unknown key "checkAlias" \(known keys: region, .*cluster, /)]);
  });
});

describe('plugin checks: malformed results are `error` for that check', () => {
  const plugin = (name: string, returns: string) => {
    writeFileSync(join(dir, name), `export default { id: '${name.replace(/\.mjs$/, '')}', title: 'Healthy.', step: 9, severity: 'low', remediation: 'Do it.', permissions: [], async run() { return ${returns}; } };`);
    return `./${name}`;
  };
  const cases: [string, string, RegExp][] = [
    ['bad-status.mjs', "[{ status: 'FAIL', message: 'broken.' }]", /findings\[0\]\.status: unknown status "FAIL"/],
    ['not-array.mjs', "{ status: 'pass', message: 'ok.' }", /returned object, not an array of findings/],
    ['null-result.mjs', 'null', /returned null, not an array of findings/],
    ['null-finding.mjs', "[{ status: 'pass', message: 'ok.' }, null]", /findings\[1\]: expected a finding object, got null/],
    ['no-message.mjs', "[{ status: 'pass' }]", /findings\[0\]\.message: expected a message/],
    ['number-result.mjs', '42', /returned number/],
  ];
  for (const [name, returns, why] of cases) {
    it(`${name.replace(/\.mjs$/, '')}: error naming the problem`, async () => {
      const checks = await loadPluginChecks([plugin(name, returns)], configFile, CHECKS);
      const [result] = await runChecks(checks, new FixtureInventory(healthy()), config());
      expect(result!.status).toBe('error');
      expect(result!.findings).toHaveLength(1);
      expect(result!.findings[0]!.message).toMatch(why);
    });
  }

  it('a well-formed result passes through, a non-pass finding without code identified as <id>/unspecified', async () => {
    const checks = await loadPluginChecks([plugin('fine.mjs', "[{ status: 'warn', message: 'hm.', resource: 'r' }, { status: 'pass', message: 'ok.' }]")], configFile, CHECKS);
    const [result] = await runChecks(checks, new FixtureInventory(healthy()), config());
    expect(result!.findings).toEqual([
      { status: 'warn', message: 'hm.', resource: 'r', code: 'fine/unspecified', fingerprint: 'fine/unspecified@r' },
      { status: 'pass', message: 'ok.' },
    ]);
  });

  it("a plugin's own codes pass through, qualified by its id; a code that is not kebab-case is malformed", async () => {
    const checks = await loadPluginChecks(
      [plugin('coded.mjs', "[{ status: 'fail', code: 'missing-tag', message: 'no tag.' }]"), plugin('badcode.mjs', "[{ status: 'fail', code: 'Missing Tag', message: 'no tag.' }]")],
      configFile,
      CHECKS,
    );
    const [coded, bad] = await runChecks(checks, new FixtureInventory(healthy()), config());
    expect(coded!.findings).toEqual([{ status: 'fail', code: 'coded/missing-tag', fingerprint: 'coded/missing-tag', message: 'no tag.' }]);
    expect(bad!.findings).toHaveLength(1);
    expect(bad!.findings[0]).toMatchObject({ status: 'error', code: 'badcode/invalid-findings' });
    expect(bad!.findings[0]!.message).toMatch(/findings\[0\]\.code: expected a kebab-case finding kind/);
  });
});

describe("plugin checks: the README's example copied next to a customer config loads", () => {
  it('examples/checks/tenant-id.ts in a directory with no package.json (tsx compiles it as CommonJS)', async () => {
    const customer = mkdtempSync(join(tmpdir(), 'askedgi-customer-'));
    copyFileSync(resolve(import.meta.dirname, '../../examples/checks/tenant-id.ts'), join(customer, 'tenant-id.ts'));
    const [check] = await loadPluginChecks(['./tenant-id.ts'], join(customer, 'askedgi-doctor.yaml'), CHECKS);
    expect(check!.id).toBe('tenant-id-set');
    const [result] = await runChecks([check!], new FixtureInventory(healthy()), config());
    expect(result!.status).toBe('fail');
  });
});
