// A healthy Variant-2 deployment as plain objects, for unit tests on the fixture inventory.
// Tests copy it with healthy() and break one thing, like the sandbox's faults do against moto.
import { expectDocumentedCodes } from './codes.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { baseConfig, healthy } from '../../src/inventory/reference-deployment.js';
import { CHECKS } from '../../src/checks/index.js';
import type { Check } from '../../src/engine/check.js';
import { runChecks, runChecksWithGraph } from '../../src/engine/runner.js';
import type { DependencyGraph } from '../../src/resolve/graph.js';
import { FixtureInventory, type FixtureData } from '../../src/inventory/fixture.js';
import type { TaskDefinition } from '../../src/inventory/types.js';
import type { CheckResult } from '../../src/model.js';

export * from '../../src/inventory/reference-deployment.js';

export function config(overrides: Partial<ConfigInput> = {}): Config {
  return parseConfig({ ...baseConfig(), ...overrides }, 'test.yaml', { checkIds: CHECKS.map((c) => c.id), env: {} });
}

let graph: Promise<DependencyGraph> | undefined;

/** The catalog's dependency graph, as recorded on the healthy fixture (derived from resolver calls). */
export function fixtureGraph(): Promise<DependencyGraph> {
  graph ??= runChecksWithGraph(CHECKS, new FixtureInventory(healthy()), config(), { outDir: 'reports', env: {} }).then((r) => r.graph);
  return graph;
}

/** Run one check (with the root checks it depends on) on a fixture; returns that check's result. */
export async function runOne(check: Check, data: FixtureData, cfg: Config = config()): Promise<CheckResult> {
  const roots = (await fixtureGraph()).get(check.id) ?? [];
  const needed = CHECKS.filter((c) => roots.includes(c.id) || check.needs?.includes(c.id));
  const results = expectDocumentedCodes(await runChecks([...needed, check], new FixtureInventory(data), cfg), [...needed, check]);
  return results.find((r) => r.id === check.id)!;
}

export function sg(data: FixtureData, id: string) {
  const g = data.securityGroups!.find((s) => s.id === id);
  if (!g) throw new Error(`no ${id} in fixture`);
  return g;
}

/** The latest ACTIVE revision of a family in a fixture (what the inventory returns for the family). */
export function latestTd(data: FixtureData, family: string): TaskDefinition {
  const td = data.taskDefinitions!.filter((t) => t.family === family && t.status === 'ACTIVE').sort((a, b) => b.revision - a.revision)[0];
  if (!td) throw new Error(`no task definition ${family} in fixture`);
  return td;
}

/** Set (or with undefined, remove) an environment variable on the latest revision of a family. */
export function setEnv(data: FixtureData, family: string, name: string, value: string | undefined): void {
  const c = latestTd(data, family).containers[0]!;
  c.environment = c.environment.filter((e) => e.name !== name);
  if (value !== undefined) c.environment.push({ name, value });
}
