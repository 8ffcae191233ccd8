// fleet merge: the outputs of several `fleet run --shard i/n` jobs (a CI matrix, ECS tasks) combined
// into one fleet folder and its reports, as if one `fleet run` had done every target.
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { FLEET_FILES, FLEET_SUMMARY_VERSION, type FleetSummary } from './model.js';
import type { Shard } from './shard.js';

export function readFleetSummary(dir: string): FleetSummary {
  const file = join(dir, FLEET_FILES.json);
  if (!existsSync(file)) throw new UsageError(`${dir}: no ${FLEET_FILES.json} (expected the -o folder of a fleet run)`);
  let parsed: Partial<FleetSummary>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<FleetSummary>;
  } catch (err) {
    throw new UsageError(`${file}: not JSON (${(err as Error).message})`);
  }
  if (parsed.fleetSummaryVersion !== FLEET_SUMMARY_VERSION || !Array.isArray(parsed.targets)) {
    throw new UsageError(`${file}: not a fleet summary of version ${FLEET_SUMMARY_VERSION} (fleetSummaryVersion ${JSON.stringify(parsed.fleetSummaryVersion)})`);
  }
  return parsed as FleetSummary;
}

/** The shards of n that no input covers ("2/3"), when the inputs are shards. */
function missingShards(shards: readonly Shard[]): string[] {
  const counts = [...new Set(shards.map((s) => s.count))];
  if (counts.length > 1) throw new UsageError(`fleet merge: the inputs were split differently (--shard …/${counts.join(', …/')}); merge the outputs of one split`);
  const n = counts[0];
  if (n === undefined) return [];
  return Array.from({ length: n }, (_, i) => i + 1).filter((i) => !shards.some((s) => s.index === i)).map((i) => `${i}/${n}`);
}

/**
 * One summary over every input's targets; each target's report folder is copied into outDir (when the
 * input is another folder), so the merged folder stands alone as one CI artefact.
 */
export function mergeFleet(dirs: readonly string[], outDir: string): FleetSummary {
  if (dirs.length === 0) throw new UsageError('fleet merge: expected one or more fleet output folders');
  const inputs = dirs.map((dir) => ({ dir, summary: readFleetSummary(dir) }));
  const shards = inputs.flatMap((i) => i.summary.shards ?? []);
  const missing = missingShards(shards);
  if (missing.length > 0) throw new UsageError(`fleet merge: shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} missing from the inputs (a failed CI job?): merge needs every shard's output`);
  const failOn = inputs[0]!.summary.failOn;
  const other = inputs.find((i) => i.summary.failOn !== failOn);
  if (other) throw new UsageError(`fleet merge: ${other.dir} ran with --fail-on ${other.summary.failOn}, ${inputs[0]!.dir} with --fail-on ${failOn}`);
  const seen = new Map<string, string>();
  const targets = inputs.flatMap(({ dir, summary }) =>
    summary.targets.map((t) => {
      const first = seen.get(t.name);
      if (first !== undefined) throw new UsageError(`fleet merge: target ${t.name} is in both ${first} and ${dir}`);
      seen.set(t.name, dir);
      if (t.reportDir !== undefined && resolve(dir) !== resolve(outDir)) {
        const from = join(dir, t.reportDir);
        if (existsSync(from)) cpSync(from, join(outDir, t.reportDir), { recursive: true });
      }
      return t;
    }),
  );
  const starts = inputs.map((i) => Date.parse(i.summary.startedAt));
  const start = Math.min(...starts);
  const end = Math.max(...inputs.map((i, k) => starts[k]! + i.summary.durationMs));
  const operator = inputs.find((i) => i.summary.operator !== undefined)?.summary.operator;
  return {
    fleetSummaryVersion: FLEET_SUMMARY_VERSION,
    tool: inputs[0]!.summary.tool,
    startedAt: new Date(start).toISOString(),
    durationMs: end - start,
    failOn,
    ...(operator !== undefined ? { operator } : {}),
    ...(shards.length > 0 ? { shards: [...shards].sort((a, b) => a.index - b.index) } : {}),
    targets: targets.sort((a, b) => a.name.localeCompare(b.name)),
  };
}
