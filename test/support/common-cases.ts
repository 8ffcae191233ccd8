// Shared unit cases that many per-check test files repeat with different roots and IAM actions:
// a check skips when a root it needs failed, reports error naming an IAM action when that action is
// denied (run with its roots, or alone so the denial reaches the check itself), and reports error
// when run without its roots on a fixture where a root would have failed. Each helper declares one
// `it`, so a per-check file calls them inside its describe block, in the order its tests ran.
import { expectDocumentedCodes } from './codes.js';
import { expect, it } from 'vitest';
import type { Check } from '../../src/engine/check.js';
import { runChecks } from '../../src/engine/runner.js';
import { FixtureInventory, type FixtureData } from '../../src/inventory/fixture.js';
import type { CheckResult } from '../../src/model.js';
import { config, healthy, IDS, runOne } from './fixture-deployment.js';

/** The task definition families of the healthy fixture. */
export const FAMILIES = { data: 'edgi-data-service', insight: 'oe_edgi_insights_service', ui: 'ovaledge-ui', job: 'ovaledge-job' } as const;

/** The Insight ECS service of the healthy fixture. */
export const INSIGHT_SERVICE = 'oe-edgi-insights-service';

/** Breaks a fixture in place. */
export type Break = (data: FixtureData) => void;

/** Remove every revision of a task definition family. */
export const dropFamily =
  (family: string): Break =>
  (data) => {
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== family);
  };

/** A root check, and a way to make it fail on the healthy fixture. */
export interface RootFailure {
  /** The id of the root check. */
  root: string;
  /** What is broken, completing "skips because <root> failed when …". */
  when: string;
  breakRoot: Break;
}

/** The root failures the per-check files share. */
export const ROOTS = {
  dataFamilyMissing: { root: 'data-task-definition', when: 'the Data family is missing', breakRoot: dropFamily(FAMILIES.data) },
  insightFamilyMissing: { root: 'insight-task-definition', when: 'the Insight family is missing', breakRoot: dropFamily(FAMILIES.insight) },
  insightServiceMissing: {
    root: 'insight-service-network',
    when: 'the Insight service is missing',
    breakRoot: (data) => {
      data.services = [];
    },
  },
  /** Only the Insight ECS service removed (the UI and Job services stay). */
  insightServiceRemoved: {
    root: 'insight-service-network',
    when: 'the service is missing',
    breakRoot: (data) => {
      data.services = data.services!.filter((s) => s.name !== INSIGHT_SERVICE);
    },
  },
  insightServiceTwoSgs: {
    root: 'insight-service-network',
    when: 'the service has two SGs and none is pinned',
    breakRoot: (data) => {
      data.services![0]!.securityGroups = [IDS.edgiSg, 'sg-extra'];
    },
  },
  bucketMissing: {
    root: 's3-bucket-exists',
    when: 'the bucket is missing',
    breakRoot: (data) => {
      data.buckets = [];
    },
  },
  workspaceRowMissing: {
    root: 'workspace-row',
    when: 'there is no workspace row',
    breakRoot: (data) => {
      data.database!.stack = [];
    },
  },
} satisfies Record<string, RootFailure>;

interface FixtureOptions {
  /** The fixture to start from (default: the healthy deployment). */
  base?: () => FixtureData;
}

/** Run a check on its own, without the checks it needs (the runner then does not wait for them). */
export async function runAlone(check: Check, data: FixtureData): Promise<CheckResult> {
  const [r] = expectDocumentedCodes(await runChecks([check], new FixtureInventory(data), config()), [check]);
  return r!;
}

const withoutRoots = (check: Check) => ((check.needs ?? []).length === 1 ? 'run without its root' : 'run without its roots');

/**
 * The check skips because `root` failed once `breakRoot` broke the fixture. By default the skip
 * message must contain "because <root> failed"; with `exact` it must be "Not run because <root> failed.".
 */
export function skipsWhenRootFails(check: Check, failure: RootFailure & FixtureOptions & { exact?: boolean }): void {
  it(`skips because ${failure.root} failed when ${failure.when}`, async () => {
    const data = (failure.base ?? healthy)();
    failure.breakRoot(data);
    const r = await runOne(check, data);
    expect(r.status).toBe('skip');
    if (failure.exact) expect(r.findings[0]!.message).toBe(`Not run because ${failure.root} failed.`);
    else expect(r.findings[0]!.message).toContain(`because ${failure.root} failed`);
  });
}

export interface DeniedOptions extends FixtureOptions {
  /** Run the check without its roots, so the denial reaches the check rather than a root. */
  alone?: boolean;
  /** With `alone`: also run it with its roots and expect it to be skipped through them. */
  skipsWithRoots?: boolean;
  /** The exact message of the first finding; by default it must contain "the caller lacks permission <action>". */
  message?: string;
  /** Further substrings the first finding's message must contain. */
  mentions?: string[];
}

/** The check reports error, its first finding naming `action`, when the fixture denies `action`. */
export function errorsWhenDenied(check: Check, action: string, options: DeniedOptions = {}): void {
  const suffix = options.alone ? ` (${withoutRoots(check)}${options.skipsWithRoots ? '; skipped through them otherwise' : ''})` : '';
  it(`reports error naming ${action} when it is denied${suffix}`, async () => {
    const denied = (): FixtureData => ({ ...(options.base ?? healthy)(), denied: [action] });
    const r = options.alone ? await runAlone(check, denied()) : await runOne(check, denied());
    expect(r.status).toBe('error');
    const message = r.findings[0]!.message;
    if (options.message !== undefined) expect(message).toBe(options.message);
    else expect(message).toContain(`the caller lacks permission ${action}`);
    for (const s of options.mentions ?? []) expect(message).toContain(s);
    if (options.skipsWithRoots) expect((await runOne(check, denied())).status).toBe('skip');
  });
}

/** With its roots, the check is skipped because a root failed when the fixture denies `action`. */
export function skipsWhenDenied(check: Check, action: string, because: string | RegExp, options: FixtureOptions = {}): void {
  const root = typeof because === 'string' ? because : 'its roots';
  it(`skips because ${root} failed when ${action} is denied`, async () => {
    const r = await runOne(check, { ...(options.base ?? healthy)(), denied: [action] });
    expect(r.status).toBe('skip');
    if (typeof because === 'string') expect(r.findings[0]!.message).toContain(`because ${because} failed`);
    else expect(r.findings[0]!.message).toMatch(because);
  });
}

/**
 * Run without its roots on a fixture where `breakRoot` would have failed a root, the check itself
 * reports error. The first finding's message must contain `message` (with `exact`, be `message`).
 */
export function errorsWithoutRoot(check: Check, c: { what: string; breakRoot: Break; message: string; exact?: boolean }): void {
  it(`reports error ${c.what} when ${withoutRoots(check)} and the family is missing`, async () => {
    const data = healthy();
    c.breakRoot(data);
    const r = await runAlone(check, data);
    expect(r.status).toBe('error');
    if (c.exact) expect(r.findings[0]!.message).toBe(c.message);
    else expect(r.findings[0]!.message).toContain(c.message);
  });
}
