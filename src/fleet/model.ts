// The fleet summary (askedgi-doctor-fleet.json): one entry per target, enough to gate CI, merge shard
// outputs and render the fleet reports; each target's full report stays in its own folder.
import type { FailOn } from '../commands/options.js';
import { STATUSES, worstStatus, type Report, type Status } from '../model.js';
import { FAILING } from '../commands/options.js';
import type { Shard } from './shard.js';

export const FLEET_SUMMARY_VERSION = 1;

/** Fleet report files, below the output folder; each target's reports are in <out>/<target name>/. */
export const FLEET_FILES = { json: 'askedgi-doctor-fleet.json', junit: 'fleet-junit.xml', markdown: 'askedgi-doctor-fleet.md', html: 'askedgi-doctor-fleet.html' } as const;

/**
 * How a target ended: `checked` (its report was written), `assume-failed` (sts:AssumeRole refused or
 * failed: nothing could be read), `error` (the role was assumed but the run could not complete).
 */
export type TargetState = 'checked' | 'assume-failed' | 'error';

export interface TargetOutcome {
  name: string;
  accountId: string;
  region: string;
  roleArn: string;
  state: TargetState;
  /** For assume-failed and error: why (the STS answer, or the error), secrets masked. */
  reason?: string;
  /** Checks per status (all zero when nothing was checked). */
  counts: Record<Status, number>;
  /** Ids of the checks at or above --fail-on. */
  failing: string[];
  /** The worst status per runbook step. */
  steps: Record<string, Status>;
  durationMs: number;
  /** The folder of the target's reports, relative to the fleet output folder; absent when nothing was written. */
  reportDir?: string;
}

export interface FleetSummary {
  fleetSummaryVersion: typeof FLEET_SUMMARY_VERSION;
  tool: { name: 'askedgi-doctor'; version: string };
  startedAt: string;
  durationMs: number;
  failOn: FailOn;
  operator?: string;
  /** The shards this summary covers: one for `fleet run --shard`, all of them after `fleet merge`. */
  shards?: Shard[];
  targets: TargetOutcome[];
}

export const zeroCounts = (): Record<Status, number> => Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;

/** Whether a target counts against --fail-on: a failing check, or a target that could not be checked (an error). */
export function targetFails(t: TargetOutcome, failOn: FailOn): boolean {
  return t.failing.length > 0 || (t.state !== 'checked' && FAILING[failOn].includes('error'));
}

/** The summary entry of a checked target. */
export function checkedOutcome(base: Pick<TargetOutcome, 'name' | 'accountId' | 'region' | 'roleArn' | 'durationMs' | 'reportDir'>, report: Report, failOn: FailOn): TargetOutcome {
  const steps: Record<string, Status> = {};
  const byStep = new Map<number, Status[]>();
  for (const r of report.results) byStep.set(r.step, [...(byStep.get(r.step) ?? []), r.status]);
  for (const [step, statuses] of [...byStep].sort(([a], [b]) => a - b)) steps[String(step)] = worstStatus(statuses.map((status) => ({ status, message: '' })));
  return {
    ...base,
    state: 'checked',
    counts: { ...zeroCounts(), ...report.summary },
    failing: report.results.filter((r) => FAILING[failOn].includes(r.status)).map((r) => r.id),
    steps,
  };
}
