// Declared permissions are what `explain` and `iam-policy` print; they must cover every IAM action a
// check (and the resolvers it calls) reads with. Each check runs alone on its own fixture inventory,
// which counts reads by IAM action, on the healthy deployment and on variants that take other paths.
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { runChecks } from '../../src/engine/runner.js';
import { FixtureInventory, type FixtureData } from '../../src/inventory/fixture.js';
import { config, healthy, latestTd } from '../support/fixture-deployment.js';

/** Variants that send checks down their other reading paths. */
const VARIANTS: Record<string, () => FixtureData> = {
  healthy,
  'no service discovery': () => {
    const d = healthy();
    for (const s of d.services!) s.serviceRegistries = [];
    return d;
  },
  'no workspace row': () => {
    const d = healthy();
    d.database!.stack = [];
    return d;
  },
  'no Insight family': () => {
    const d = healthy();
    d.taskDefinitions = d.taskDefinitions!.filter((t) => t.family !== latestTd(d, 'oe_edgi_insights_service').family);
    return d;
  },
};

/** Reads that are not IAM actions: the database probes. */
const NOT_IAM = /^mysql:/;

describe('declared permissions cover what each check reads', () => {
  for (const [variant, build] of Object.entries(VARIANTS)) {
    it.each(CHECKS.map((c) => [c.id, c] as const))(`%s (${variant})`, async (_id, check) => {
      const inv = new FixtureInventory(build());
      await runChecks([check], inv, config(), { outDir: 'reports', env: {} });
      const read = Object.keys(inv.apiCalls()).filter((a) => !NOT_IAM.test(a));
      expect(read.filter((a) => !check.permissions.includes(a)), `${check.id} reads without declaring`).toEqual([]);
    });
  }
});
