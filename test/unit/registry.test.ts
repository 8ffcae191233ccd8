import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { SEVERITIES } from '../../src/model.js';
import { renderChecksTable, TABLE_END, TABLE_START } from '../../src/report/catalog.js';
import { FAULTS } from '../../src/sandbox/faults/index.js';
import { withDependents } from '../../src/sandbox/faults/support.js';
import { recordCatalogGraph } from '../../src/resolve/catalog-graph.js';
import { DEPENDS_ON } from '../../src/resolve/dependencies.generated.js';

const root = resolve(import.meta.dirname, '../..');
const checkFiles = readdirSync(resolve(root, 'src/checks'))
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => basename(f, '.ts'));

/** Checks that read nothing from AWS: the database probes and the HTTP probe of the tenant URL. */
const NO_AWS_READS = ['workspace-row', 'workspace-uptime', 'ovaledge-reachable'];
/**
 * The private Insight endpoint is reachable only inside the deployment's VPC; the sandbox is outside
 * any VPC (its 10.20.x addresses route nowhere), so no honest fault breaks it there. Its real path
 * is tested against local servers in its unit tests (with --in-vpc).
 */
const NOT_BREAKABLE_IN_SANDBOX = ['insight-endpoint-reachable'];

describe('check registry', () => {
  it('registers every check file, once, under its file name', () => {
    expect(CHECKS.map((c) => c.id).sort()).toEqual([...checkFiles].sort());
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
  });

  it.each(CHECKS.map((c) => [c.id, c] as const))('%s is a complete catalog entry', (id, c) => {
    expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(c.step).toBeGreaterThanOrEqual(0);
    expect(c.step).toBeLessThanOrEqual(10);
    expect(SEVERITIES).toContain(c.severity);
    expect(c.title).not.toMatch(/^(Ensure|Check|Verify)\b/);
    expect(c.remediation.length).toBeGreaterThan(30);
    if (!NO_AWS_READS.includes(c.id)) expect(c.permissions.length).toBeGreaterThan(0);
    // run is read-only: a check may only declare read actions.
    for (const p of c.permissions) expect(p).toMatch(/^([a-z0-9-]+:(Describe|List|Get|Filter|Head)[A-Za-z0-9]*|iam:SimulatePrincipalPolicy)$/);
    // Prerequisites follow from the resolvers a check calls (src/resolve/); built-ins declare none.
    expect(c.needs).toBeUndefined();
  });

  it('the recorded dependency graph is the one the checks call (npm run readme)', async () => {
    const recorded = await recordCatalogGraph(CHECKS);
    expect(Object.fromEntries(recorded)).toEqual(DEPENDS_ON);
    // Every root is a registered check, and a root depends on nothing that depends on it.
    const ids = CHECKS.map((c) => c.id);
    for (const [id, roots] of recorded) {
      for (const r of roots) {
        expect(ids).toContain(r);
        expect(recorded.get(r), `${id} -> ${r}`).not.toContain(id);
      }
    }
  });

  it.each(CHECKS.map((c) => c.id))('%s has a unit test', (id) => {
    expect(existsSync(resolve(root, `test/unit/checks/${id}.test.ts`))).toBe(true);
  });

  it.each(CHECKS.map((c) => c.id).filter((id) => !NOT_BREAKABLE_IN_SANDBOX.includes(id)))('%s is broken by at least one sandbox fault', (id) => {
    expect(FAULTS.filter((f) => f.expect[id] !== undefined && f.expect[id] !== 'skip').map((f) => f.name)).not.toEqual([]);
  });

  it('faults name only what they change: no skip that the dependency graph derives', () => {
    for (const f of FAULTS) {
      const derived = withDependents(Object.fromEntries(Object.entries(f.expect).filter(([, s]) => s !== 'skip')));
      for (const [id, status] of Object.entries(f.expect)) {
        if (status === 'skip') expect(derived[id], `fault ${f.name} names ${id}: skip, which the graph derives`).toBeUndefined();
      }
    }
  });

  it('faults name only registered checks and have unique names', () => {
    const ids = CHECKS.map((c) => c.id);
    for (const f of FAULTS) for (const id of Object.keys(f.expect)) expect(ids, `fault ${f.name}`).toContain(id);
    expect(new Set(FAULTS.map((f) => f.name)).size).toBe(FAULTS.length);
  });

  it('the README checks table is the one the registry generates (npm run readme)', () => {
    const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
    const start = readme.indexOf(TABLE_START);
    const end = readme.indexOf(TABLE_END);
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start + TABLE_START.length, end).trim()).toBe(renderChecksTable(CHECKS));
  });
});

describe('README', () => {
  it('shows the example plugin module exactly as examples/checks/tenant-id.ts has it', () => {
    const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
    const example = readFileSync(resolve(root, 'examples/checks/tenant-id.ts'), 'utf8');
    expect(readme).toContain('```ts\n' + example + '```');
  });
});
