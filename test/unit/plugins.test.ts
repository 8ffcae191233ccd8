import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { loadPluginChecks } from '../../src/engine/plugins.js';
import { runChecks } from '../../src/engine/runner.js';
import { ConfigError } from '../../src/errors.js';
import { FixtureInventory } from '../../src/inventory/fixture.js';
import { config, healthy, setEnv } from '../support/fixture-deployment.js';

const EXAMPLE = resolve(import.meta.dirname, '../../examples/checks/tenant-id.ts');
const dir = mkdtempSync(join(tmpdir(), 'askedgi-plugins-'));
const configFile = join(dir, 'askedgi-doctor.yaml');
const module = (name: string, body: string) => {
  writeFileSync(join(dir, name), body);
  return `./${name}`;
};
const good = (id: string) => `export default { id: '${id}', title: 'Healthy.', step: 9, severity: 'low', remediation: 'Do it.', permissions: ['ecs:DescribeTaskDefinition'], async run() { return [{ status: 'pass', message: 'ok.' }]; } };`;

async function problems(modules: string[]): Promise<string[]> {
  try {
    await loadPluginChecks(modules, configFile, CHECKS);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('plugin checks (checks.modules)', () => {
  it('loads the README example (TypeScript) by a path relative to the config file, marked with its source', async () => {
    const [check] = await loadPluginChecks([EXAMPLE], configFile, CHECKS);
    expect(check!.id).toBe('tenant-id-set');
    expect(check!.source).toBe(EXAMPLE);
    const rel = module('one.mjs', good('one-check'));
    const loaded = await loadPluginChecks([rel], configFile, CHECKS);
    expect(loaded.map((c) => [c.id, c.source])).toEqual([['one-check', './one.mjs']]);
  });

  it('runs on the same inventory as the built-ins: fails without the variable, passes with it', async () => {
    const [check] = await loadPluginChecks([EXAMPLE], configFile, CHECKS);
    const data = healthy();
    const without = await runChecks([check!], new FixtureInventory(data), config());
    expect(without[0]!.status).toBe('fail');
    expect(without[0]!.source).toBe(EXAMPLE);
    expect(without[0]!.findings[0]!.message).toBe('Task definition edgi-data-service:2 does not set OE_TENANT_ID.');
    for (const family of ['edgi-data-service', 'oe_edgi_insights_service', 'ovaledge-ui', 'ovaledge-job']) setEnv(data, family, 'OE_TENANT_ID', 'acme');
    expect((await runChecks([check!], new FixtureInventory(data), config()))[0]!.status).toBe('pass');
  });

  it('loads a package by name, resolved from the config file\'s directory', async () => {
    const pkg = join(dir, 'node_modules', '@acme', 'askedgi-checks');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@acme/askedgi-checks', version: '1.0.0', type: 'module', main: 'index.js' }));
    writeFileSync(join(pkg, 'index.js'), good('acme-from-package'));
    const loaded = await loadPluginChecks(['@acme/askedgi-checks'], configFile, CHECKS);
    expect(loaded.map((c) => [c.id, c.source])).toEqual([['acme-from-package', '@acme/askedgi-checks']]);
    expect((await problems(['@acme/not-installed']))[0]).toMatch(/^checks\.modules\[0\] \(@acme\/not-installed\): cannot load: /);
  });

  it('accepts an array of checks as the default export', async () => {
    const spec = module('many.mjs', `const a = ${good('a-one').replace('export default ', '')}; export default [a, { ...a, id: 'a-two' }];`);
    expect((await loadPluginChecks([spec], configFile, CHECKS)).map((c) => c.id)).toEqual(['a-one', 'a-two']);
  });

  it('names the module and the field of every problem', async () => {
    const bad = module('bad.mjs', `export default { id: 'Bad_Id', title: 'x', step: 11, severity: 'urgent', remediation: '', permissions: ['ec2:CreateVpc'], run: 3 };`);
    const found = await problems([bad]);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^checks\.modules\[0\] \(\.\/bad\.mjs\) default\.id: expected a kebab-case id/),
        expect.stringMatching(/^checks\.modules\[0\] \(\.\/bad\.mjs\) default\.step: expected a runbook step 0–10/),
        expect.stringMatching(/default\.severity: /),
        expect.stringMatching(/default\.remediation: expected what to do/),
        expect.stringMatching(/default\.permissions\.0: expected a read-only IAM action/),
        expect.stringMatching(/default\.run: expected a function/),
      ]),
    );
  });

  it('refuses an id clash with a built-in or another module, a missing default export, a module that cannot load, unknown needs', async () => {
    expect(await problems([module('clash.mjs', good('caller-identity'))])).toEqual(['checks.modules[0] (./clash.mjs) default.id: "caller-identity" is already used by a built-in check']);
    expect(await problems([module('x1.mjs', good('dup-id')), module('x2.mjs', good('dup-id'))])).toEqual([
      'checks.modules[1] (./x2.mjs) default.id: "dup-id" is already used by checks.modules[0] (./x1.mjs)',
    ]);
    expect(await problems([module('none.mjs', 'export const x = 1;')])).toEqual(['checks.modules[0] (./none.mjs): has no default export (expected one check or an array of checks)']);
    expect((await problems(['./missing.mjs']))[0]).toMatch(/^checks\.modules\[0\] \(\.\/missing\.mjs\): cannot load: /);
    expect((await problems([module('syntax.mjs', 'export default {')]))[0]).toMatch(/^checks\.modules\[0\] \(\.\/syntax\.mjs\): cannot load: /);
    const needs = module('needs.mjs', good('needs-x').replace("permissions:", "needs: ['no-such-check'], permissions:"));
    expect(await problems([needs])).toEqual(['checks.modules (./needs.mjs) needs-x.needs: unknown check id "no-such-check"']);
  });

  it('a plugin that throws at run time is an error for that check only', async () => {
    const spec = module('throws.mjs', good('throws-check').replace("return [{ status: 'pass', message: 'ok.' }];", "throw new Error('boom');"));
    const [check] = await loadPluginChecks([spec], configFile, CHECKS);
    const results = await runChecks([CHECKS.find((c) => c.id === 'caller-identity')!, check!], new FixtureInventory(healthy()), config());
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['caller-identity', 'pass'],
      ['throws-check', 'error'],
    ]);
    expect(results[1]!.findings[0]!.message).toBe('Check throws-check crashed: boom');
  });
});
