// `run --baseline <previous askedgi-doctor.json>`: which non-pass findings are new, which are known,
// and which findings of the baseline are fixed.
//
// Findings are matched by their fingerprint, `<check-id>/<kind>@<resource>` (README "Reports"): the
// wording of a message may change between versions without making a known problem new. Reports of
// schemaVersion 1 and 2 carry no fingerprints; against such a baseline both sides are keyed the old
// way: check id + resource + the message normalised so that it does not depend on the status or on
// what changes from run to run (timestamps, durations, whitespace, letter case).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { BaselineDiff, CheckResult, Finding, FixedFinding, Report, Status } from '../model.js';

/** What a baseline must be: any askedgi-doctor JSON report (schemaVersion 1 or later). */
const baselineShape = z.object({
  schemaVersion: z.number().int().min(1),
  tool: z.object({ name: z.literal('askedgi-doctor') }),
  startedAt: z.string(),
  results: z.array(
    z.object({
      id: z.string(),
      status: z.string(),
      findings: z.array(z.object({ status: z.string(), message: z.string(), resource: z.string().optional(), code: z.string().optional(), fingerprint: z.string().optional() })),
    }),
  ),
});

export type BaselineReport = z.infer<typeof baselineShape>;
type AnyFinding = Pick<Finding, 'message' | 'resource'> & { status: string; code?: string; fingerprint?: string };

/** Reads a baseline report; anything else is a one-line usage error (exit 2). */
export function loadBaseline(file: string): BaselineReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`--baseline ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? String(err)})`}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`--baseline ${file}: not an askedgi-doctor JSON report (not JSON)`);
  }
  const parsed = baselineShape.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : 'the document';
    throw new UsageError(`--baseline ${file}: not an askedgi-doctor JSON report (${where}: ${issue.message.split('\n')[0]})`);
  }
  return parsed.data;
}

const TIMESTAMP = /\d{4}-\d{2}-\d{2}[T ]\d{2}[:-]\d{2}[:-]\d{2}(?:[.-]\d+)?Z?/g;
const DURATION = /\b\d+(?:\.\d+)?\s?(?:ms|s|sec|seconds?|min)\b/g;

/** The message without what varies between runs of the same problem. */
export function normaliseMessage(message: string): string {
  return message.replace(TIMESTAMP, '<time>').replace(DURATION, '<duration>').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The key of reports without fingerprints (schemaVersion 1 and 2): check, resource and normalised message. */
export function legacyFingerprint(checkId: string, f: AnyFinding): string {
  return [checkId, f.resource ?? '', normaliseMessage(f.message)].join(' | ');
}

/** The identity of a finding across runs: its fingerprint, or the legacy key when it has none. */
export function fingerprintOf(checkId: string, f: AnyFinding): string {
  if (typeof f.fingerprint === 'string' && f.fingerprint !== '') return f.fingerprint;
  return legacyFingerprint(checkId, f);
}

/** The first report version whose findings carry codes and fingerprints. */
const FINGERPRINTED_SINCE = 3;

/** A finding that counts in the diff: something to look at. `skip` and `waived` are not problems. */
const PROBLEM: ReadonlySet<string> = new Set<Status>(['fail', 'error', 'warn']);

function counter(): Map<string, number> {
  return new Map();
}

/**
 * The report with each non-pass finding marked `new` or `known` and `baseline` set: counts and the
 * baseline's problems that are gone. Identical findings are matched one to one. A check that this
 * run did not run (or skipped) fixes nothing.
 */
export function applyBaseline(report: Report, baseline: BaselineReport, file: string): Report {
  // An older baseline has no fingerprints: key both sides by the legacy key so they compare.
  const keyOf = baseline.schemaVersion < FINGERPRINTED_SINCE ? legacyFingerprint : fingerprintOf;
  const before = counter();
  for (const r of baseline.results) {
    for (const f of r.findings) {
      if (f.status === 'pass') continue;
      const key = keyOf(r.id, f);
      before.set(key, (before.get(key) ?? 0) + 1);
    }
  }
  const remaining = new Map(before);
  let fresh = 0;
  let known = 0;
  const results: CheckResult[] = report.results.map((r) => ({
    ...r,
    findings: r.findings.map((f) => {
      if (f.status === 'pass') return f;
      const key = keyOf(r.id, f);
      const left = remaining.get(key) ?? 0;
      if (left > 0) {
        remaining.set(key, left - 1);
        known += 1;
        return { ...f, baseline: 'known' as const };
      }
      fresh += 1;
      return { ...f, baseline: 'new' as const };
    }),
  }));

  // Fixed: a problem of the baseline whose check ran here (not skipped) and no longer reports it.
  const ranHere = new Set(report.results.filter((r) => r.status !== 'skip').map((r) => r.id));
  const stillThere = counter();
  for (const r of report.results) for (const f of r.findings) if (f.status !== 'pass') {
    const key = keyOf(r.id, f);
    stillThere.set(key, (stillThere.get(key) ?? 0) + 1);
  }
  const fixed: FixedFinding[] = [];
  for (const r of baseline.results) {
    if (!ranHere.has(r.id)) continue;
    for (const f of r.findings) {
      if (!PROBLEM.has(f.status)) continue;
      const key = keyOf(r.id, f);
      const left = stillThere.get(key) ?? 0;
      if (left > 0) {
        stillThere.set(key, left - 1);
        continue;
      }
      fixed.push({ check: r.id, status: f.status as Status, message: f.message, ...(f.resource !== undefined ? { resource: f.resource } : {}), ...(f.code !== undefined ? { code: f.code } : {}), fingerprint: key });
    }
  }
  const diff: BaselineDiff = { file, startedAt: baseline.startedAt, new: fresh, known, fixed };
  return Object.freeze({ ...report, results, baseline: diff });
}

/**
 * The findings that decide the exit code: those whose status is in `failing`; with `onlyNew`, only
 * the ones marked new against the baseline.
 */
export function gatingFindings(report: Report, failing: readonly Status[], onlyNew: boolean): Array<{ check: string; finding: Finding }> {
  const out: Array<{ check: string; finding: Finding }> = [];
  for (const r of report.results) {
    if (!failing.includes(r.status)) continue;
    for (const f of r.findings) {
      if (!failing.includes(f.status)) continue;
      if (onlyNew && f.baseline !== 'new') continue;
      out.push({ check: r.id, finding: f });
    }
  }
  return out;
}
